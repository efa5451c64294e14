import type { z } from 'zod';
import type { FieldProblem } from './http-error.js';

/**
 * Turns zod issues into field problems named from the request's root, e.g. `body.args.0`,
 * `query.page`, `body.countdwn` (an unknown key is named itself, so a typo is easy to spot).
 */
export function zodProblems(where: 'body' | 'query' | 'params', error: z.ZodError): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const issue of error.issues) {
    const base = [where, ...issue.path.map(String)].join('.');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) problems.push({ field: `${base}.${key}`, message: 'unknown field; remove it or check its spelling' });
    } else {
      problems.push({ field: base, message: issue.message });
    }
  }
  return problems;
}
