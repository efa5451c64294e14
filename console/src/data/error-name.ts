/**
 * The name of the error a job failed with: the part before the first ":" of its last stack's first
 * line (BullMQ keeps stacks, newest last), else of `failedReason` when that looks like `Name: msg`.
 */
export function errorNameOf(stacktrace: string[] | null | undefined, failedReason: string | null | undefined): string | undefined {
  const stack = stacktrace?.[stacktrace.length - 1];
  const firstLine = (stack ?? '').split('\n')[0] ?? '';
  const fromStack = /^([A-Za-z_$][\w$]*)(?::|$)/.exec(firstLine)?.[1];
  if (fromStack) return fromStack;
  const fromReason = /^([A-Z][\w$]*(?:Error|Exceeded|Revoked|Expired|Lost|Task|Message)):/.exec(failedReason ?? '')?.[1];
  return fromReason;
}
