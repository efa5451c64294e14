import type { z } from 'zod';

/**
 * One line per problem, each naming the field by its full path (`spec.autoscaling.minReplicas: ...`),
 * so an operator event, a CLI error or a test can show what to fix. An unknown field gets its own
 * line under its own path (`spec.retries: unknown field...`). `subject` names the object, e.g.
 * `WorkerPool default/emails`.
 */
export function formatValidationError(error: z.ZodError, subject?: string): string {
  const lines = error.issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => `${pathText([...issue.path, key])}: unknown field; remove it or check its spelling`);
    }
    return [`${pathText(issue.path)}: ${issue.message}`];
  });
  return subject ? `${subject} is invalid:\n  ${lines.join('\n  ')}` : lines.join('\n');
}

function pathText(path: readonly PropertyKey[]): string {
  return path.length > 0 ? path.map(String).join('.') : '(root)';
}
