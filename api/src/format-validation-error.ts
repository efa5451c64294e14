import type { z } from 'zod';

/**
 * One line per issue, each naming the field by its full path (`spec.autoscaling.minReplicas: ...`),
 * so an operator event, a CLI error or a test can show what to fix. `subject` names the object,
 * e.g. `WorkerPool default/emails`.
 */
export function formatValidationError(error: z.ZodError, subject?: string): string {
  const lines = error.issues.map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(root)'}: ${issue.message}`);
  return subject ? `${subject} is invalid:\n  ${lines.join('\n  ')}` : lines.join('\n');
}
