import type { Backoff, TaskOptions } from '@taskyard/api';
import type { QueuePolicyView } from '@taskyard/api/wire';

/** The options a run of a task obeys, every source merged. */
export interface EffectiveTaskOptions {
  attempts: number;
  backoff: Backoff;
  timeLimit: { soft?: number; hard?: number };
  /** Error names retried automatically; "*" = all. */
  autoretryFor: readonly string[];
}

/** enqueue override > task option (bundle) > queue policy (which carries Taskyard's defaults). Pure. */
export function effectiveTaskOptions(
  message: TaskOptions | undefined,
  task: TaskOptions | undefined,
  policy: QueuePolicyView,
): EffectiveTaskOptions {
  return {
    attempts: message?.attempts ?? task?.attempts ?? policy.attempts,
    backoff: { ...policy.backoff, ...task?.backoff, ...message?.backoff },
    timeLimit: { ...policy.timeLimit, ...task?.timeLimit, ...message?.timeLimit },
    autoretryFor: message?.autoretryFor ?? task?.autoretryFor ?? policy.autoretryFor ?? [],
  };
}

/** True when an error of this name is retried automatically under `autoretryFor`. */
export function isAutoretried(errorName: string, autoretryFor: readonly string[]): boolean {
  return autoretryFor.includes('*') || autoretryFor.includes(errorName);
}
