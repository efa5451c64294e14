import { Queue } from 'bullmq';
import type { RedisConnection } from './connect-redis.js';
import { bullQueueName, type QueueRef, type TaskyardKeys } from './keys.js';

/**
 * Retention, per task: a finished task's result (or error) is kept for its own TTL, and removing it
 * never touches another task. Jobs are added with `removeOnComplete: false, removeOnFail: false`
 * (BullMQ's age-based removal prunes every job older than the age given by the task just finished,
 * so one short TTL deleted other tasks' results); instead:
 *
 * | key                    | type | written by | value |
 * |------------------------|------|------------|-------|
 * | `P:{ns/q}:ty:expiry`   | zset | runtime    | member task id, score = when its result expires (ms) = finish time + the task's TTL |
 *
 * - the runtime calls `recordTaskExpiry` when a task finishes (score = now + its `resultTTL` or
 *   `failedTTL`: the enqueue override, else the queue policy's); a task run again later (a dead
 *   letter replayed) is recorded again, which moves its score;
 * - `sweepExpiredTasks` (every few seconds in each worker; the operator may call it for a queue no
 *   worker consumes) takes at most `limit` due ids (ZRANGEBYSCORE … LIMIT, cheap when none is due),
 *   removes each one's BullMQ job (Queue.remove, children kept: each has its own entry) and then its
 *   entry and its task marker.
 * - Markers holding the REVOKED override are kept: they carry their own TTL (REVOKE_RETENTION_MS,
 *   set by the revoker), so a revoked id still reads REVOKED as long as the revoke is remembered.
 *   Every other marker is deleted with the job: the id then reads PENDING and its idempotency key
 *   opens again, exactly when the task's own TTL says.
 * Workers sweeping at the same time are harmless: removing a job twice is a no-op.
 */

/**
 * KEYS[1] expiry zset `P:{ns/q}:ty:expiry`
 * KEYS[2] BullMQ completed zset `P:{ns/q}:completed`
 * KEYS[3] BullMQ failed zset `P:{ns/q}:failed`
 * ARGV[1] now (epoch ms)
 * ARGV[2] most ids to return
 * Returns a flat list `id, score, id, score…` of due entries whose job is completed or failed. Due
 * entries whose job is neither (removed already, or running again) are dropped from the zset here:
 * a task that finishes again records a new entry.
 */
const DUE_LUA = `
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'WITHSCORES', 'LIMIT', 0, tonumber(ARGV[2]))
local out = {}
for i = 1, #due, 2 do
  local id = due[i]
  if redis.call('ZSCORE', KEYS[2], id) or redis.call('ZSCORE', KEYS[3], id) then
    out[#out + 1] = id
    out[#out + 1] = due[i + 1]
  else
    redis.call('ZREM', KEYS[1], id)
  end
end
return out`;

/**
 * KEYS[1] expiry zset `P:{ns/q}:ty:expiry`
 * KEYS[2] task marker `P:{ns/q}:ty:task:<id>`
 * ARGV[1] task id
 * ARGV[2] the entry's score the sweep saw
 * Drops the entry (when its score is still the one seen) and the marker unless it holds the REVOKED
 * override. Returns 1 when the entry was dropped, 0 when it had been recorded again meanwhile.
 */
const FORGET_LUA = `
local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
if score and tonumber(score) ~= tonumber(ARGV[2]) then return 0 end
redis.call('ZREM', KEYS[1], ARGV[1])
if redis.call('HGET', KEYS[2], 'state') ~= 'REVOKED' then redis.call('DEL', KEYS[2]) end
return 1`;

const SCRIPTS = {
  taskyardRetentionDue: { numberOfKeys: 3, lua: DUE_LUA },
  taskyardRetentionForget: { numberOfKeys: 2, lua: FORGET_LUA },
} as const;

type WithScripts = RedisConnection & {
  taskyardRetentionDue(...args: Array<string | number>): Promise<string[]>;
  taskyardRetentionForget(...args: Array<string | number>): Promise<number>;
};

function scripts(conn: RedisConnection): WithScripts {
  const c = conn as WithScripts;
  for (const [name, def] of Object.entries(SCRIPTS)) if (!(name in c)) conn.defineCommand(name, def);
  return c;
}

/** Records when a finished task's result expires (`finishedAt + ttlMs`). */
export async function recordTaskExpiry(conn: RedisConnection, keys: TaskyardKeys, ref: QueueRef, id: string, finishedAt: number, ttlMs: number): Promise<void> {
  await conn.zadd(keys.expiry(ref), Math.round(finishedAt + Math.max(0, ttlMs)), id);
}

/** When the task's result expires (epoch ms), or undefined when it is not recorded. */
export async function taskExpiry(conn: RedisConnection, keys: TaskyardKeys, ref: QueueRef, id: string): Promise<number | undefined> {
  const score = await conn.zscore(keys.expiry(ref), id);
  return score === null ? undefined : Number(score);
}

export interface SweepOptions {
  /** Epoch ms; default Date.now(). */
  now?: number;
  /** Most tasks removed per call. Default 200. */
  limit?: number;
  /** The BullMQ Queue of `ref` (same connection and prefix), when the caller holds one; else one is opened and closed. */
  queue?: Queue;
}

/** Removes the tasks of a queue whose retention ran out (see the header). Returns the ids removed. */
export async function sweepExpiredTasks(conn: RedisConnection, keys: TaskyardKeys, ref: QueueRef, options: SweepOptions = {}): Promise<string[]> {
  const s = scripts(conn);
  const queue = options.queue ?? new Queue(bullQueueName(ref), { connection: conn, prefix: keys.prefix });
  try {
    const due = await s.taskyardRetentionDue(keys.expiry(ref), queue.toKey('completed'), queue.toKey('failed'), options.now ?? Date.now(), options.limit ?? 200);
    const removed: string[] = [];
    for (let i = 0; i + 1 < due.length; i += 2) {
      const id = due[i] as string;
      await queue.remove(id, { removeChildren: false });
      if (Number(await s.taskyardRetentionForget(keys.expiry(ref), keys.task(ref, id), id, due[i + 1] as string)) === 1) removed.push(id);
    }
    return removed;
  } finally {
    if (!options.queue) await queue.close();
  }
}
