import { z } from 'zod';
import type { RedisConnection } from './connect-redis.js';
import type { QueueRef, TaskyardKeys } from './keys.js';

/**
 * The task marker: Taskyard's hash beside BullMQ's job, `P:{ns/q}:ty:task:<id>` (keys.task). It
 * holds what BullMQ does not: the task's name from the moment it is enqueued, and state overrides.
 *
 * | field        | written by                | meaning |
 * |--------------|---------------------------|---------|
 * | `name`       | client (claim)            | task name |
 * | `enqueuedAt` | client (claim)            | epoch ms of the enqueue |
 * | `claim`      | client (claim), removed at finalize | token of an enqueue in progress: the job is being added |
 * | `state`      | client/console (revoke), runtime (expiry) | `REVOKED` overrides BullMQ's state (api/task-state.ts) |
 * | `reason`     | same                      | `revoked` or `expired` |
 * | `revokedAt`  | same                      | epoch ms of the revoke |
 *
 * Enqueue is claim → add → finalize, so exactly one of many racing callers with the same task id
 * (a Schedule tick id, an idempotency key) adds the job and learns it did:
 * 1. `claimTaskMarker`: one script checks that neither the marker nor BullMQ's job hash
 *    `P:{ns/q}:<id>` exists and writes the marker with a short TTL (CLAIM_TTL_MS). Both keys share
 *    the `{ns/q}` hash tag, so the script runs on a Cluster too. Losers get `false`.
 * 2. the caller adds the BullMQ job;
 * 3. `finalizeTaskMarker` drops the claim token and gives the marker its long TTL; if the add failed,
 *    `releaseTaskMarker` deletes the marker instead, so a rejected enqueue leaves nothing behind.
 * A process that dies between 1 and 3 leaves only the claimed marker, which expires after
 * CLAIM_TTL_MS; until then the id reads PENDING and a retry of the same id is refused (`false`).
 */
export const TaskMarkerSchema = z.object({
  name: z.string().optional(),
  enqueuedAt: z.coerce.number().optional(),
  claim: z.string().optional(),
  state: z.string().optional(),
  reason: z.string().optional(),
  revokedAt: z.coerce.number().optional(),
});

export type TaskMarker = z.infer<typeof TaskMarkerSchema>;

/** How long a claimed marker lives when its enqueue never finishes (the caller crashed). */
export const CLAIM_TTL_MS = 60_000;

/**
 * KEYS[1] marker `P:{ns/q}:ty:task:<id>`
 * KEYS[2] BullMQ job hash `P:{ns/q}:<id>`
 * ARGV[1] task name
 * ARGV[2] enqueuedAt (epoch ms)
 * ARGV[3] claim token (unique per enqueue call)
 * ARGV[4] claim TTL (ms)
 * Returns 1 when this call claimed the id, 0 when the marker or the job already exists.
 */
const CLAIM_LUA = `
if redis.call('EXISTS', KEYS[1]) == 1 or redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'name', ARGV[1], 'enqueuedAt', ARGV[2], 'claim', ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return 1`;

/**
 * KEYS[1] marker `P:{ns/q}:ty:task:<id>`
 * ARGV[1] claim token of this enqueue
 * ARGV[2] marker TTL (ms) once the job is added
 * Returns 1 when the claim was ours and is now final, 0 when the marker is gone or another's.
 */
const FINALIZE_LUA = `
if redis.call('HGET', KEYS[1], 'claim') ~= ARGV[1] then return 0 end
redis.call('HDEL', KEYS[1], 'claim')
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1`;

/**
 * KEYS[1] marker `P:{ns/q}:ty:task:<id>`
 * ARGV[1] claim token of this enqueue
 * Deletes the marker when it still holds this claim (the add failed). Returns 1 deleted, 0 not.
 */
const RELEASE_LUA = `
if redis.call('HGET', KEYS[1], 'claim') ~= ARGV[1] then return 0 end
return redis.call('DEL', KEYS[1])`;

/**
 * KEYS[1] marker `P:{ns/q}:ty:task:<id>`
 * ARGV[1] task name
 * ARGV[2] enqueuedAt (epoch ms)
 * ARGV[3] marker TTL (ms)
 * Writes the marker of a task added again under its id (dead-letter replay): name and time set,
 * claim and state overrides cleared. Returns 1.
 */
const REWRITE_LUA = `
redis.call('HDEL', KEYS[1], 'claim', 'state', 'reason', 'revokedAt')
redis.call('HSET', KEYS[1], 'name', ARGV[1], 'enqueuedAt', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1`;

/**
 * KEYS[1] marker `P:{ns/q}:ty:task:<id>`
 * ARGV[1] reason (`revoked` | `expired`)
 * ARGV[2] revokedAt (epoch ms)
 * ARGV[3] marker TTL (ms): the marker must outlive the job it overrides
 * Sets the REVOKED override. Returns 1.
 */
const REVOKE_LUA = `
redis.call('HSET', KEYS[1], 'state', 'REVOKED', 'reason', ARGV[1], 'revokedAt', ARGV[2])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < tonumber(ARGV[3]) then redis.call('PEXPIRE', KEYS[1], ARGV[3]) end
return 1`;

/** ioredis commands defined per connection, one per script above. */
const SCRIPTS = {
  taskyardMarkerClaim: { numberOfKeys: 2, lua: CLAIM_LUA },
  taskyardMarkerFinalize: { numberOfKeys: 1, lua: FINALIZE_LUA },
  taskyardMarkerRelease: { numberOfKeys: 1, lua: RELEASE_LUA },
  taskyardMarkerRewrite: { numberOfKeys: 1, lua: REWRITE_LUA },
  taskyardMarkerRevoke: { numberOfKeys: 1, lua: REVOKE_LUA },
} as const;

type ScriptName = keyof typeof SCRIPTS;
type WithScripts = RedisConnection & Record<ScriptName, (...args: Array<string | number>) => Promise<number>>;

/** The connection with the marker scripts defined (EVALSHA after the first call; ioredis reloads on NOSCRIPT). */
function scripts(conn: RedisConnection): WithScripts {
  const c = conn as WithScripts;
  for (const [name, def] of Object.entries(SCRIPTS)) {
    if (!(name in c)) conn.defineCommand(name, def);
  }
  return c;
}

/** Step 1 of an enqueue: true when this caller claimed the id (see the header). */
export async function claimTaskMarker(
  conn: RedisConnection,
  keys: TaskyardKeys,
  ref: QueueRef,
  id: string,
  claim: { name: string; enqueuedAt: number; token: string; ttlMs?: number },
): Promise<boolean> {
  const reply = await scripts(conn).taskyardMarkerClaim(keys.task(ref, id), keys.job(ref, id), claim.name, claim.enqueuedAt, claim.token, claim.ttlMs ?? CLAIM_TTL_MS);
  return Number(reply) === 1;
}

/** Step 3 of an enqueue whose add succeeded: the marker lives `ttlMs`. */
export async function finalizeTaskMarker(conn: RedisConnection, keys: TaskyardKeys, ref: QueueRef, id: string, token: string, ttlMs: number): Promise<boolean> {
  return Number(await scripts(conn).taskyardMarkerFinalize(keys.task(ref, id), token, Math.max(1, Math.round(ttlMs)))) === 1;
}

/** Step 3 of an enqueue whose add failed: the claimed marker is deleted. */
export async function releaseTaskMarker(conn: RedisConnection, keys: TaskyardKeys, ref: QueueRef, id: string, token: string): Promise<boolean> {
  return Number(await scripts(conn).taskyardMarkerRelease(keys.task(ref, id), token)) === 1;
}

/** The marker of a task added again under the same id (dead-letter replay): overrides cleared. */
export async function rewriteTaskMarker(conn: RedisConnection, keys: TaskyardKeys, ref: QueueRef, id: string, marker: { name: string; enqueuedAt: number }, ttlMs: number): Promise<void> {
  await scripts(conn).taskyardMarkerRewrite(keys.task(ref, id), marker.name, marker.enqueuedAt, Math.max(1, Math.round(ttlMs)));
}

/** Sets the REVOKED override (reason `revoked` by a client, `expired` by the runtime); the marker lives at least `ttlMs`. */
export async function markTaskRevoked(conn: RedisConnection, keys: TaskyardKeys, ref: QueueRef, id: string, revoke: { reason: 'revoked' | 'expired'; at: number; ttlMs: number }): Promise<void> {
  await scripts(conn).taskyardMarkerRevoke(keys.task(ref, id), revoke.reason, revoke.at, Math.max(1, Math.round(revoke.ttlMs)));
}

/** Clears the REVOKED override (a failed task retried under its id). */
export async function clearTaskRevoked(conn: RedisConnection, keys: TaskyardKeys, ref: QueueRef, id: string): Promise<void> {
  await conn.hdel(keys.task(ref, id), 'state', 'reason', 'revokedAt');
}

/**
 * Deletes the marker (retention: when the runtime removes a finished job, it removes its marker in
 * the same step, so the task id - an idempotency key - opens again exactly when the result goes).
 */
export async function deleteTaskMarker(conn: RedisConnection, keys: TaskyardKeys, ref: QueueRef, id: string): Promise<void> {
  await conn.del(keys.task(ref, id));
}

/** The marker of a task, or undefined when there is none (never enqueued here, or expired). */
export async function readTaskMarker(conn: RedisConnection, keys: TaskyardKeys, ref: QueueRef, id: string): Promise<TaskMarker | undefined> {
  const raw = await conn.hgetall(keys.task(ref, id));
  if (Object.keys(raw).length === 0) return undefined;
  const parsed = TaskMarkerSchema.safeParse(raw);
  return parsed.success ? parsed.data : { ...(raw.name !== undefined ? { name: raw.name } : {}), ...(raw.state !== undefined ? { state: raw.state } : {}) };
}

/** True when the queue holds a trace of the task: its marker or BullMQ's job hash (one slot). */
export async function taskIsInQueue(conn: RedisConnection, keys: TaskyardKeys, ref: QueueRef, id: string): Promise<boolean> {
  return (await conn.exists(keys.task(ref, id), keys.job(ref, id))) > 0;
}

/**
 * The queue of a task within a namespace when the caller names none: the `first` queues in order
 * (the client's default and routed queues), then the namespace's queues (`keys.queues(ns)`, which
 * the client adds to when it first enqueues to a queue). Each queue is asked with one EXISTS on the
 * marker and the job (same slot); nothing is written. Undefined when no queue knows the id.
 */
export async function findTaskQueue(
  conn: RedisConnection,
  keys: TaskyardKeys,
  namespace: string,
  id: string,
  first: readonly string[] = [],
): Promise<QueueRef | undefined> {
  const tried = new Set<string>();
  const ask = async (names: readonly string[]): Promise<QueueRef | undefined> => {
    const fresh = names.filter((n) => !tried.has(n));
    fresh.forEach((n) => tried.add(n));
    const found = await Promise.all(fresh.map((name) => taskIsInQueue(conn, keys, { namespace, name }, id)));
    const i = found.indexOf(true);
    return i < 0 ? undefined : { namespace, name: fresh[i] as string };
  };
  return (await ask(first)) ?? (await ask((await conn.smembers(keys.queues(namespace))).sort()));
}
