/**
 * A CEL expression turning a Taskyard duration string (see duration.ts) into a CEL `duration`.
 * CEL's `duration()` takes Go's syntax, which has no `d` unit, so days become hours first.
 * Used by the CRDs' `x-kubernetes-validations`; `field` is a CEL expression such as `self.soft`.
 */
export function celDuration(field: string): string {
  return `(${field}.endsWith('d') ? duration(string(int(${field}.substring(0, ${field}.size() - 1)) * 24) + 'h') : duration(${field}))`;
}
