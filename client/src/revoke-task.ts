import { REVOKE_RETENTION_MS, formatQueueRef, markTaskRevoked, publishRevoke, taskIsInQueue } from '@taskyard/api/wire';
import type { TaskState } from '@taskyard/api';
import type { ClientContext } from './client-context.js';
import { TaskAlreadyFinishedError, TaskNotFoundError } from './errors.js';
import { locateTask } from './task-locator.js';
import { readTaskStatus } from './task-status-reader.js';

/** What a revoke found and did. */
export interface RevokeOutcome {
  id: string;
  queue: string;
  /** The task's state before the revoke (REVOKED: it was revoked already and nothing changed). */
  stateBefore: TaskState;
}

/**
 * The one revoke rule, for the SDK, the CLI and the console:
 * - an id no queue of the namespace knows → TaskNotFoundError, nothing is written (no marker, no queue);
 * - a finished task (SUCCESS or FAILURE) → TaskAlreadyFinishedError (CLI exit 1, console 409), nothing written;
 * - a task already REVOKED → no change;
 * - otherwise the marker gets the REVOKED override, the id goes to the namespace's revoked set (so a
 *   worker that takes the task later discards it, even after restarts), running workers are told
 *   (with `terminate`, a running attempt is aborted), and a waiting or delayed job leaves its queue.
 */
export async function revokeTask(ctx: ClientContext, id: string, options: { terminate?: boolean; queue?: string } = {}): Promise<RevokeOutcome> {
  return ctx.guard('revoke', async () => {
    const ref = await locateTask(ctx, id, options.queue);
    if (ref === undefined || !(await taskIsInQueue(ctx.connection, ctx.keys, ref, id))) {
      throw new TaskNotFoundError(id, ref ? `queue ${formatQueueRef(ref)}` : `the queues of namespace ${ctx.namespace}`);
    }
    const before = await readTaskStatus(ctx, id, { queue: ref.name });
    if (before.state === 'SUCCESS' || before.state === 'FAILURE') throw new TaskAlreadyFinishedError(id, before.state);
    const outcome: RevokeOutcome = { id, queue: ref.name, stateBefore: before.state };
    if (before.state === 'REVOKED') return outcome;
    const now = Date.now();
    await markTaskRevoked(ctx.connection, ctx.keys, ref, id, { reason: 'revoked', at: now, ttlMs: REVOKE_RETENTION_MS });
    await publishRevoke(ctx.connection, ctx.keys, ctx.namespace, { id, queue: ref.name, terminate: options.terminate === true }, now);
    const queue = ctx.queue(ref.name);
    const state = await queue.getJobState(id);
    if (state === 'waiting' || state === 'delayed' || state === 'prioritized') {
      await queue.remove(id).catch(() => 0); // a worker took it meanwhile: it sees the revoke instead
    }
    return outcome;
  });
}
