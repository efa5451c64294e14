import { InvalidEnqueueOptionsError } from './errors.js';

/**
 * Task priority, the one rule (documented in EnqueueOptions.priority, `taskyard enqueue --help`
 * and the README's Celery table): an integer from 1 (highest, runs first) to 10 (lowest); a task
 * without one runs at 5, in the middle, as Celery users expect of a default. Within one priority
 * tasks start in the order they were enqueued (FIFO). Every task is given a priority, so BullMQ
 * orders them all in one prioritized set (BullMQ serves unprioritized jobs before every
 * prioritized one, which is why the default is never "none").
 */
export const HIGHEST_PRIORITY = 1;
export const LOWEST_PRIORITY = 10;
export const DEFAULT_PRIORITY = 5;

/** The BullMQ priority of a task: the given one, checked, or DEFAULT_PRIORITY. */
export function taskPriority(task: string, priority: number | undefined): number {
  if (priority === undefined) return DEFAULT_PRIORITY;
  if (typeof priority !== 'number' || !Number.isInteger(priority) || priority < HIGHEST_PRIORITY || priority > LOWEST_PRIORITY) {
    throw new InvalidEnqueueOptionsError(
      `task "${task}": priority must be an integer from ${HIGHEST_PRIORITY} (highest) to ${LOWEST_PRIORITY} (lowest), got ${String(priority)}; leave it out for the default ${DEFAULT_PRIORITY}`,
    );
  }
  return priority;
}
