/**
 * A CEL expression giving the milliseconds (an int) of a Taskyard duration string (duration.ts),
 * for the CRDs' `x-kubernetes-validations`; `field` is a CEL expression such as `self.soft`.
 * Plain int arithmetic on a bounded substring: CEL's `duration()` has no `d` unit, and building a
 * string for it makes the API server's cost estimate unbounded (it refuses such a rule).
 */
export function celDurationMs(field: string): string {
  const unitLength = `(${field}.endsWith('ms') ? 2 : 1)`;
  const number = `int(${field}.substring(0, ${field}.size() - ${unitLength}))`;
  const factor =
    `(${field}.endsWith('ms') ? 1 : ${field}.endsWith('s') ? 1000 : ${field}.endsWith('m') ? 60000 : ` +
    `${field}.endsWith('h') ? 3600000 : 86400000)`;
  return `(${number} * ${factor})`;
}
