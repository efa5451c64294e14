import { parseDuration, queuePolicySchema, type Backoff, type QueuePolicy } from '@taskyard/api';

/**
 * A queue's policy as clients and workers use it: every duration in ms, every default filled in
 * where Taskyard has one. Read from the operator's JSON at `<prefix>:policy:<queue>` (the TaskQueue
 * spec); durations there may be numbers (ms) or strings such as "30s" / "5m".
 */
export interface QueuePolicyView {
  attempts: number;
  backoff: Backoff;
  timeLimit?: { soft?: number; hard?: number };
  expires?: number;
  resultTTL: number;
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
