import { parseDuration } from '../parse-duration.js';
import { queuePolicySchema, type QueuePolicy } from '../queue-policy.js';
import type { Backoff } from '../task-message.js';
import type { RedisConnection } from './connect-redis.js';
import type { QueueRef, TaskyardKeys } from './keys.js';

/**
 * The queue policy: the fields of a TaskQueue spec that workers and clients act on.
 *
 * | key / channel                 | type    | written by | value |
 * |-------------------------------|---------|------------|-------|
 * | `P:{ns/q}:ty:policy`          | string  | operator   | JSON of `queuePolicySchema` (api/queue-policy.ts), every default filled in; durations as strings ("30s") or ms |
 * | `P:{ns}:policy-changed`       | pub/sub | operator   | message = queue name (within the namespace) whose policy changed or was removed |
 *
 * Writer: `publishQueuePolicy` / `removeQueuePolicy` (operator). Readers: `loadQueuePolicy`
 * (worker, SDK, console) and `readQueuePolicy` for a JSON value already read; followers subscribe
 * to `keys.policyChanged(ns)` and re-load the queue named by `parsePolicyChangedMessage`.
 * The reader is loose on purpose (unknown fields ignored, bad fields fall back to the default), so a
 * newer operator never stops an older worker; the writer is strict (schema-checked).
 */

/** A queue's policy as clients and workers use it: every duration in ms, every default filled in. */
export interface QueuePolicyView {
  attempts: number;
  backoff: Backoff;
  timeLimit?: { soft?: number; hard?: number };
  expires?: number;
  /** How long a succeeded task's result is kept, ms. */
  resultTTL: number;
  /** How long a failed task's error is kept, ms. */
  failedTTL: number;
  autoretryFor?: string[];
  rateLimit?: { max: number; duration: number };
  concurrency?: number;
  paused: boolean;
  deadLetter: { enabled: boolean; ttl?: number };
  maxPayloadBytes: number;
}

/** The policy of a queue without a policy key: the QueuePolicy schema's defaults (api/queue-policy.ts). */
const DEFAULT_POLICY: QueuePolicy = queuePolicySchema.parse({});

function toMs(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value;
  if (typeof value === 'string') {
    try {
      return parseDuration(value.trim());
    } catch {
      return undefined;
    }
  }
  return undefined;
}

function obj(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function posInt(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : undefined;
}

/**
 * Reads a QueuePolicy JSON value loosely (unknown fields ignored, bad fields fall back to the
 * default) so a newer operator never stops older workers. `undefined` (no policy key) = defaults.
 */
export function readQueuePolicy(json: unknown): QueuePolicyView {
  const given = obj(json);
  const p: Record<string, unknown> = { ...DEFAULT_POLICY, ...given };
  const d: Record<string, unknown> = { ...DEFAULT_POLICY.defaults, ...obj(given.defaults) };
  d.backoff = { ...DEFAULT_POLICY.defaults.backoff, ...obj(d.backoff) };
  p.deadLetter = { ...DEFAULT_POLICY.deadLetter, ...obj(p.deadLetter) };
  const view: QueuePolicyView = {
    attempts: posInt(d.attempts) ?? DEFAULT_POLICY.defaults.attempts,
    backoff: { type: 'exponential' },
    resultTTL: toMs(d.resultTTL) ?? parseDuration(DEFAULT_POLICY.defaults.resultTTL),
    failedTTL: toMs(d.failedTTL) ?? parseDuration(DEFAULT_POLICY.defaults.failedTTL),
    paused: p.paused === true,
    deadLetter: { enabled: obj(p.deadLetter).enabled !== false },
    maxPayloadBytes: posInt(p.maxPayloadBytes) ?? DEFAULT_POLICY.maxPayloadBytes,
  };
  const b = obj(d.backoff);
  view.backoff = {
    type: b.type === 'fixed' ? 'fixed' : 'exponential',
    delay: toMs(b.delay) ?? 1000,
    maxDelay: toMs(b.maxDelay) ?? 600_000,
    jitter: b.jitter !== false && b.jitter !== 0,
  };
  const tl = obj(d.timeLimit);
  const soft = toMs(tl.soft);
  const hard = toMs(tl.hard);
  if (soft !== undefined || hard !== undefined) {
    view.timeLimit = {};
    if (soft !== undefined) view.timeLimit.soft = soft;
    if (hard !== undefined) view.timeLimit.hard = hard;
  }
  const expires = toMs(d.expires);
  if (expires !== undefined) view.expires = expires;
  if (Array.isArray(d.autoretryFor) && d.autoretryFor.length > 0) view.autoretryFor = d.autoretryFor.filter((x): x is string => typeof x === 'string');
  const rl = obj(p.rateLimit);
  const rlMax = posInt(rl.max);
  const rlDuration = toMs(rl.duration);
  if (rlMax !== undefined && rlDuration !== undefined && rlDuration > 0) view.rateLimit = { max: rlMax, duration: rlDuration };
  const concurrency = posInt(p.concurrency);
  if (concurrency !== undefined) view.concurrency = concurrency;
  const dlTtl = toMs(obj(p.deadLetter).ttl);
  if (dlTtl !== undefined) view.deadLetter.ttl = dlTtl;
  return view;
}

/** A queue's policy as loaded from Redis. */
export interface LoadedQueuePolicy {
  policy: QueuePolicyView;
  /** True when the operator wrote a policy key for the queue (a declared TaskQueue). */
  declared: boolean;
  /** Set when the key holds something that is not JSON (the defaults are used). */
  problem?: string;
}

/** Reads a queue's policy key (defaults when there is none or it is not JSON). One GET. */
export async function loadQueuePolicy(conn: RedisConnection, keys: TaskyardKeys, ref: QueueRef): Promise<LoadedQueuePolicy> {
  const raw = await conn.get(keys.policy(ref));
  if (raw === null) return { policy: readQueuePolicy(undefined), declared: false };
  try {
    return { policy: readQueuePolicy(JSON.parse(raw)), declared: true };
  } catch (err) {
    return { policy: readQueuePolicy(undefined), declared: true, problem: `policy key ${keys.policy(ref)} is not JSON (${(err as Error).message}); using the defaults` };
  }
}

/**
 * Writes a queue's policy (schema-checked; throws a ZodError naming the field) and announces it on
 * `keys.policyChanged(ns)` when it changed. Returns true when it changed. The queue is also added
 * to the namespace's queue set. The three keys live in two slots: separate commands, policy first.
 */
export async function publishQueuePolicy(conn: RedisConnection, keys: TaskyardKeys, ref: QueueRef, policy: unknown): Promise<boolean> {
  const json = JSON.stringify(queuePolicySchema.parse(policy));
  const previous = await conn.get(keys.policy(ref));
  await conn.sadd(keys.queues(ref.namespace), ref.name);
  if (previous === json) return false;
  await conn.set(keys.policy(ref), json);
  await conn.publish(keys.policyChanged(ref.namespace), ref.name);
  return true;
}

/** Deletes a queue's policy key (the TaskQueue is gone) and announces it. */
export async function removeQueuePolicy(conn: RedisConnection, keys: TaskyardKeys, ref: QueueRef): Promise<void> {
  if ((await conn.del(keys.policy(ref))) > 0) await conn.publish(keys.policyChanged(ref.namespace), ref.name);
}

/** The queue named by a `policy-changed` message, or undefined when the message is not a queue name. */
export function parsePolicyChangedMessage(message: string): string | undefined {
  return message.length > 0 && !/[:{}/\s]/.test(message) ? message : undefined;
}
