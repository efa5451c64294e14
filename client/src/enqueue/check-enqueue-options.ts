import { createHash, randomUUID } from 'node:crypto';
import { ATTEMPTS_CEILING, type TaskOptions } from '@taskyard/api';
import type { EnqueueOptions } from '../enqueue-options.js';
import { InvalidEnqueueOptionsError } from '../errors.js';

// Pure checks of EnqueueOptions: each throws InvalidEnqueueOptionsError naming the option and the fix.

/** Task id: explicit, derived from the idempotency key, or a random UUID. */
export function taskIdFor(name: string, options: EnqueueOptions): string {
  if (options.taskId !== undefined && options.idempotencyKey !== undefined) {
    throw new InvalidEnqueueOptionsError(`task "${name}": give either taskId or idempotencyKey, not both`);
  }
  if (options.idempotencyKey !== undefined) {
    if (typeof options.idempotencyKey !== 'string' || options.idempotencyKey.length === 0) {
      throw new InvalidEnqueueOptionsError(`task "${name}": idempotencyKey must be a non-empty string`);
    }
    return `idem-${createHash('sha256').update(options.idempotencyKey).digest('hex').slice(0, 40)}`;
  }
  if (options.taskId !== undefined) {
    if (typeof options.taskId !== 'string' || options.taskId.length === 0 || options.taskId.includes(':') || /^\d+$/.test(options.taskId)) {
      throw new InvalidEnqueueOptionsError(`task "${name}": taskId ${JSON.stringify(options.taskId)} must be a non-empty string without ':' that is not an integer`);
    }
    return options.taskId;
  }
  return randomUUID();
}

export function startDelay(name: string, options: EnqueueOptions, now: number): number {
  if (options.countdown !== undefined && options.eta !== undefined) {
    throw new InvalidEnqueueOptionsError(`task "${name}": give either countdown (ms from now) or eta (a time), not both`);
  }
  if (options.countdown !== undefined) {
    if (typeof options.countdown !== 'number' || !Number.isFinite(options.countdown) || options.countdown < 0) {
      throw new InvalidEnqueueOptionsError(`task "${name}": countdown must be a number of ms >= 0 (got ${String(options.countdown)})`);
    }
    return Math.round(options.countdown);
  }
  if (options.eta !== undefined) {
    const at = new Date(options.eta).getTime();
    if (!Number.isFinite(at)) throw new InvalidEnqueueOptionsError(`task "${name}": eta ${JSON.stringify(options.eta)} is not a valid date (use a Date or an ISO 8601 string)`);
    return Math.max(0, at - now);
  }
  return 0;
}

export function expiresAt(name: string, expires: EnqueueOptions['expires'], now: number): number | undefined {
  if (expires === undefined) return undefined;
  if (typeof expires === 'number') {
    if (!Number.isFinite(expires) || expires < 0) throw new InvalidEnqueueOptionsError(`task "${name}": expires must be ms from now (>= 0), a Date or an ISO string (got ${expires})`);
    return now + Math.round(expires);
  }
  const at = new Date(expires).getTime();
  if (!Number.isFinite(at)) throw new InvalidEnqueueOptionsError(`task "${name}": expires ${JSON.stringify(expires)} is not a valid date (use ms from now, a Date or an ISO 8601 string)`);
  return at;
}

export function taskOptionOverrides(options: EnqueueOptions): TaskOptions | undefined {
  const o: TaskOptions = {};
  if (options.attempts !== undefined) {
    if (!Number.isInteger(options.attempts) || options.attempts < 1 || options.attempts > ATTEMPTS_CEILING) {
      throw new InvalidEnqueueOptionsError(`attempts must be an integer from 1 to ${ATTEMPTS_CEILING} (got ${options.attempts})`);
    }
    o.attempts = options.attempts;
  }
  if (options.backoff !== undefined) o.backoff = options.backoff;
  if (options.timeLimit !== undefined) o.timeLimit = options.timeLimit;
  if (options.autoretryFor !== undefined) o.autoretryFor = options.autoretryFor;
  if (options.resultTTL !== undefined) o.resultTTL = options.resultTTL;
  if (options.failedTTL !== undefined) o.failedTTL = options.failedTTL;
  return Object.keys(o).length > 0 ? o : undefined;
}
