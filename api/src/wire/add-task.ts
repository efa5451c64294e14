import { randomUUID } from 'node:crypto';
import type { JobsOptions } from 'bullmq';
import { ATTEMPTS_CEILING, TASKYARD_BACKOFF_TYPE, type TaskOptions } from '../task-message.js';
import { recordNamespaceQueue } from './namespace-queues.js';
import type { RedisConnection } from './connect-redis.js';
import type { QueueRef, TaskyardKeys } from './keys.js';
import type { QueuePolicyView } from './queue-policy.js';
import { claimTaskMarker, finalizeTaskMarker, releaseTaskMarker } from './task-marker.js';

/**
 * How a task is added to its queue: the part of enqueue every producer shares (the SDK, and the
 * runtime's `taskyard-worker enqueue` for Schedule ticks), so both write the same thing.
 *
 * - BullMQ job options (`taskJobOptions`): jobId = task id, attempts = the override or a ceiling
 *   (the worker decides when to stop), backoff type `taskyard` (the worker's strategy), a priority
 *   for every task (TASK_PRIORITY: 1 highest … 10 lowest, default 5: BullMQ serves unprioritized jobs
 *   before all prioritized ones, so "none" is never used), and `removeOnComplete/removeOnFail: false`
 *   (retention is per task: wire/retention.ts).
 * - The task marker (wire/task-marker.ts) lives `taskMarkerTtlMs`: longer than the job can.
 * - `addClaimedTasks`: claim each id (one script per id) → add only the claimed → finalize; a
 *   rejected add releases the claims, so nothing stays behind. The queue joins `P:{ns}:queues`.
 */
export const TASK_PRIORITY = { highest: 1, lowest: 10, default: 5 } as const;

/** Why `priority` is not a task priority, or undefined when it is (undefined = the default). */
export function taskPriorityProblem(priority: unknown): string | undefined {
  if (priority === undefined) return undefined;
  if (typeof priority !== 'number' || !Number.isInteger(priority) || priority < TASK_PRIORITY.highest || priority > TASK_PRIORITY.lowest) {
    return `priority must be an integer from ${TASK_PRIORITY.highest} (highest) to ${TASK_PRIORITY.lowest} (lowest), got ${String(priority)}; leave it out for the default ${TASK_PRIORITY.default}`;
  }
  return undefined;
}

/** BullMQ options of a task (see the header). */
export function taskJobOptions(id: string, overrides: TaskOptions | undefined, delay: number, priority: number = TASK_PRIORITY.default): JobsOptions {
  const opts: JobsOptions = {
    jobId: id,
    attempts: overrides?.attempts ?? ATTEMPTS_CEILING,
    backoff: { type: TASKYARD_BACKOFF_TYPE },
    priority,
    removeOnComplete: false,
    removeOnFail: false,
  };
  if (delay > 0) opts.delay = delay;
  return opts;
}

/** How long a marker outlives the longest time its task's result may be kept. */
const MARKER_MARGIN_MS = 2 * 24 * 3600_000;

/** The marker outlives the job: the start delay, the longest retention, and a margin. */
export function taskMarkerTtlMs(overrides: TaskOptions | undefined, policy: QueuePolicyView, delay: number): number {
  return delay + MARKER_MARGIN_MS + Math.max(overrides?.resultTTL ?? policy.resultTTL, overrides?.failedTTL ?? policy.failedTTL);
}

/** A task about to be added. */
export interface TaskToAdd {
  ref: QueueRef;
  id: string;
  name: string;
  enqueuedAt: number;
  markerTtlMs: number;
}

/**
 * Claims each task id, calls `add` with the claimed ones, then finalizes their markers; when `add`
 * throws, the claims are released and the error rethrown. Returns, per task, whether this call
 * enqueued it. `allOrNothing` (flows): when any id is taken, nothing is added, every flag false.
 */
export async function addClaimedTasks<T extends TaskToAdd>(
  conn: RedisConnection,
  keys: TaskyardKeys,
  tasks: readonly T[],
  add: (claimed: T[]) => Promise<unknown>,
  allOrNothing = false,
): Promise<boolean[]> {
  const tokens = tasks.map(() => randomUUID());
  const queues = new Map(tasks.map((t) => [`${t.ref.namespace}/${t.ref.name}`, t.ref]));
  const [claims] = await Promise.all([
    Promise.all(tasks.map((t, i) => claimTaskMarker(conn, keys, t.ref, t.id, { name: t.name, enqueuedAt: t.enqueuedAt, token: tokens[i] as string }))),
    Promise.all([...queues.values()].map((ref) => recordNamespaceQueue(conn, keys, ref))),
  ]);
  const release = (): Promise<unknown> =>
    Promise.all(tasks.map((t, i) => (claims[i] ? releaseTaskMarker(conn, keys, t.ref, t.id, tokens[i] as string).catch(() => false) : false)));
  if (allOrNothing && claims.some((c) => !c)) {
    await release();
    return tasks.map(() => false);
  }
  const claimed = tasks.filter((_, i) => claims[i]);
  if (claimed.length === 0) return claims;
  try {
    await add(claimed);
  } catch (err) {
    await release(); // a claim that cannot be released (Redis gone) expires after CLAIM_TTL_MS
    throw err;
  }
  await Promise.all(tasks.map((t, i) => (claims[i] ? finalizeTaskMarker(conn, keys, t.ref, t.id, tokens[i] as string, t.markerTtlMs) : false)));
  return claims;
}
