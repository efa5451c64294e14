import { randomUUID } from 'node:crypto';
import { addNamespaceQueue, claimTaskMarker, finalizeTaskMarker, formatQueueRef, releaseTaskMarker } from '@taskyard/api/wire';
import type { ClientContext } from '../client-context.js';
import type { PreparedJob } from './prepared-job.js';

/** Queues this process has recorded in their namespace's set (`P:{ns}:queues`), by prefix. */
const rememberedQueues = new Set<string>();

/**
 * Adds jobs the way wire/task-marker.ts describes: claim each task id (one atomic script per id),
 * `add` only the claimed ones, then finalize their markers; when `add` fails, the claimed markers
 * are deleted and the error is thrown, so nothing stays behind. Returns, per job, whether this call
 * enqueued it (false: a task with that id already existed or another caller is adding it).
 *
 * `allOrNothing` (flows): when any id is taken, no job is added and every flag is false.
 */
export async function addClaimed(
  ctx: ClientContext,
  jobs: readonly PreparedJob[],
  add: (claimed: PreparedJob[]) => Promise<unknown>,
  allOrNothing = false,
): Promise<boolean[]> {
  const conn = ctx.connection;
  const tokens = jobs.map(() => randomUUID());
  const claims = await Promise.all([
    ...jobs.map((j, i) => claimTaskMarker(conn, ctx.keys, j.ref, j.id, { name: j.name, enqueuedAt: j.data.enqueuedAt, token: tokens[i] as string })),
    ...rememberQueues(ctx, jobs),
  ]).then((replies) => replies.slice(0, jobs.length) as boolean[]);
  const release = (): Promise<unknown> =>
    Promise.all(jobs.map((j, i) => (claims[i] ? releaseTaskMarker(conn, ctx.keys, j.ref, j.id, tokens[i] as string).catch(() => false) : false)));
  if (allOrNothing && claims.some((c) => !c)) {
    await release();
    return jobs.map(() => false);
  }
  const claimed = jobs.filter((_, i) => claims[i]);
  if (claimed.length === 0) return claims;
  try {
    await add(claimed);
  } catch (err) {
    await release(); // a claim that cannot be released (Redis gone) expires after CLAIM_TTL_MS
    throw err;
  }
  await Promise.all(jobs.map((j, i) => (claims[i] ? finalizeTaskMarker(conn, ctx.keys, j.ref, j.id, tokens[i] as string, j.markerTtlMs) : false)));
  return claims;
}

/** SADD each queue to its namespace's set the first time this process enqueues to it. */
function rememberQueues(ctx: ClientContext, jobs: readonly PreparedJob[]): Array<Promise<boolean>> {
  const fresh = new Map<string, PreparedJob>();
  for (const j of jobs) {
    const key = `${ctx.prefix}\0${formatQueueRef(j.ref)}`;
    if (!rememberedQueues.has(key)) fresh.set(key, j);
  }
  return [...fresh].map(async ([key, j]) => {
    await addNamespaceQueue(ctx.connection, ctx.keys, j.ref);
    rememberedQueues.add(key);
    return true;
  });
}
