import { addClaimedTasks } from '@taskyard/api/wire';
import type { ClientContext } from '../client-context.js';
import type { PreparedJob } from './prepared-job.js';

/**
 * Adds jobs through the producers' shared path (wire/add-task.ts addClaimedTasks): claim each task
 * id (one atomic script per id), `add` only the claimed ones, then finalize their markers; when
 * `add` fails, the claims are released and the error thrown, so nothing stays behind. Returns, per
 * job, whether this call enqueued it (false: the id was taken). `allOrNothing` for flows.
 */
export function addClaimed(
  ctx: ClientContext,
  jobs: readonly PreparedJob[],
  add: (claimed: PreparedJob[]) => Promise<unknown>,
  allOrNothing = false,
): Promise<boolean[]> {
  return addClaimedTasks(ctx.connection, ctx.keys, jobs, add, allOrNothing);
}
