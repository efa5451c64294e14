import { z } from 'zod';
import type { RedisConnection } from './connect-redis.js';
import type { TaskyardKeys } from './keys.js';
import { parseJsonAs } from './parse-json-as.js';

/**
 * Revokes (Celery's `control.revoke`), persistent per namespace.
 *
 * | key / channel        | type    | written by      | value |
 * |----------------------|---------|-----------------|-------|
 * | `P:{ns}:revoked`     | zset    | client, console | member task id, score = revoke time (ms); trimmed past REVOKE_RETENTION_MS |
 * | `P:{ns}:revoke`      | pub/sub | client, console | JSON `RevokeMessage`: workers discard the task, or abort it when `terminate` |
 *
 * Writer: `publishRevoke` (one MULTI in the `{ns}` slot: ZADD, trim, PUBLISH). The task marker's
 * REVOKED override (`markTaskRevoked`, wire/task-marker) lives in the queue's slot and is written
 * by the caller separately. Readers: `loadRevoked` (workers at start, after a reconnect and every
 * resync) and `parseRevokeMessage` (the channel).
 */
export const RevokeMessageSchema = z.object({
  /** The task id. */
  id: z.string().min(1),
  /** Queue name within the namespace, when the revoker knew it. */
  queue: z.string().optional(),
  /** Abort the task if it is running (ctx.signal, then the sandbox is killed). */
  terminate: z.boolean().default(false),
});

export type RevokeMessage = z.infer<typeof RevokeMessageSchema>;

/** How long revoked ids are remembered (the revoked zset is trimmed past this age). */
export const REVOKE_RETENTION_MS = 7 * 24 * 3600_000;

/** Stores the revoke and tells every worker of the namespace. */
export async function publishRevoke(
  conn: RedisConnection,
  keys: TaskyardKeys,
  namespace: string,
  revoke: { id: string; queue?: string; terminate?: boolean },
  now = Date.now(),
): Promise<void> {
  const message: RevokeMessage = RevokeMessageSchema.parse(revoke);
  const replies = await conn
    .multi()
    .zadd(keys.revoked(namespace), now, message.id)
    .zremrangebyscore(keys.revoked(namespace), '-inf', now - REVOKE_RETENTION_MS)
    .publish(keys.revokeChannel(namespace), JSON.stringify(message))
    .exec();
  const failed = replies?.find(([err]) => err);
  if (failed?.[0]) throw failed[0];
}

/** Ids revoked in the namespace within REVOKE_RETENTION_MS of `now`. */
export async function loadRevoked(conn: RedisConnection, keys: TaskyardKeys, namespace: string, now = Date.now()): Promise<string[]> {
  return conn.zrangebyscore(keys.revoked(namespace), now - REVOKE_RETENTION_MS, '+inf');
}

/** True when the id is in the namespace's revoked set (and not trimmed). */
export async function isRevoked(conn: RedisConnection, keys: TaskyardKeys, namespace: string, id: string, now = Date.now()): Promise<boolean> {
  const score = await conn.zscore(keys.revoked(namespace), id);
  return score !== null && Number(score) >= now - REVOKE_RETENTION_MS;
}

/** A message of the revoke channel, or undefined when it is not one. */
export function parseRevokeMessage(message: string): RevokeMessage | undefined {
  return parseJsonAs(RevokeMessageSchema, message);
}

/** Takes an id out of the namespace's revoked set (a failed or revoked task the console runs again). */
export async function forgetRevoke(conn: RedisConnection, keys: TaskyardKeys, namespace: string, id: string): Promise<void> {
  await conn.zrem(keys.revoked(namespace), id);
}
