import { TASK_PRIORITY, taskPriorityProblem } from '@taskyard/api/wire';
import { InvalidEnqueueOptionsError } from './errors.js';

/**
 * Task priority, the one rule (wire/add-task.ts TASK_PRIORITY; documented in
 * EnqueueOptions.priority, `taskyard enqueue --help` and the README's Celery table): an integer
 * from 1 (highest, runs first) to 10 (lowest); a task without one runs at 5, in the middle, as
 * Celery users expect of a default. Within one priority tasks start in the order they were
 * enqueued (FIFO). Every task is given a priority, so BullMQ orders them all in one prioritized set
 * (BullMQ serves unprioritized jobs before every prioritized one, so the default is never "none").
 */
export const HIGHEST_PRIORITY: number = TASK_PRIORITY.highest;
export const LOWEST_PRIORITY: number = TASK_PRIORITY.lowest;
export const DEFAULT_PRIORITY: number = TASK_PRIORITY.default;

/** The BullMQ priority of a task: the given one, checked, or DEFAULT_PRIORITY. */
export function taskPriority(task: string, priority: number | undefined): number {
  const problem = taskPriorityProblem(priority);
  if (problem) throw new InvalidEnqueueOptionsError(`task "${task}": ${problem}`);
  return priority ?? DEFAULT_PRIORITY;
}
