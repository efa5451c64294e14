import type { ReconcileResult } from './reconcile-result.js';
import { retryDelay } from './retry-delay.js';
import type { WorkQueueOptions } from './work-queue-options.js';

/** Called for one key; throw to retry with backoff, return requeueAfterMs for timed work. */
export type ReconcileHandler = (key: string) => Promise<ReconcileResult | void>;

/** Called when a handler throws (for logs and metrics); the key is retried after `retryInMs`. */
export type ReconcileErrorListener = (key: string, error: unknown, retryInMs: number) => void;

/**
 * A per-object work queue in the manner of client-go's: a key waits at most once (adding a queued key is a
 * no-op), a key being reconciled is never handed out again until its run ends (a change seen meanwhile marks it
 * dirty and it runs once more afterwards), failures retry with per-key exponential backoff (reset on success),
 * and `addAfter` keeps the earliest of the pending timers of a key.
 */
export class WorkQueue {
  readonly #handler: ReconcileHandler;
  readonly #concurrency: number;
  readonly #baseRetryDelayMs: number;
  readonly #maxRetryDelayMs: number;
  readonly #queue: string[] = [];
  readonly #queued = new Set<string>();
  readonly #running = new Set<string>();
  readonly #dirty = new Set<string>();
  readonly #failures = new Map<string, number>();
  readonly #timers = new Map<string, { at: number; timer: NodeJS.Timeout }>();
  readonly #idleWaiters: (() => void)[] = [];
  #onError: ReconcileErrorListener | undefined;
  #stopped = false;
  #active = 0;

  constructor(handler: ReconcileHandler, options: WorkQueueOptions = {}) {
    this.#handler = handler;
    this.#concurrency = Math.max(1, options.concurrency ?? 4);
    this.#baseRetryDelayMs = options.baseRetryDelayMs ?? 200;
    this.#maxRetryDelayMs = options.maxRetryDelayMs ?? 300_000;
  }

  /** Registers the listener told about failed reconciles. */
  onError(listener: ReconcileErrorListener): void {
    this.#onError = listener;
  }

  /**
   * Queues a key now (deduplicated). `first` puts it at the head: objects never reconciled yet (just created)
   * go before re-reconciles of known ones, so a burst of status churn does not delay a new object's children.
   */
  add(key: string, first = false): void {
    if (this.#stopped) return;
    if (this.#running.has(key)) {
      this.#dirty.add(key);
      return;
    }
    if (this.#queued.has(key)) {
      if (first) {
        this.#queue.splice(this.#queue.indexOf(key), 1);
        this.#queue.unshift(key);
      }
      return;
    }
    this.#queued.add(key);
    if (first) this.#queue.unshift(key);
    else this.#queue.push(key);
    this.#pump();
  }

  /** Queues a key after `delayMs`; of several pending delays for one key the earliest wins. */
  addAfter(key: string, delayMs: number): void {
    if (this.#stopped) return;
    if (delayMs <= 0) {
      this.add(key);
      return;
    }
    const at = Date.now() + delayMs;
    const pending = this.#timers.get(key);
    if (pending && pending.at <= at) return;
    if (pending) clearTimeout(pending.timer);
    const timer = setTimeout(() => {
      this.#timers.delete(key);
      this.add(key);
    }, delayMs);
    timer.unref();
    this.#timers.set(key, { at, timer });
  }

  /** Drops a key's retry history and pending timer (after the object is gone). */
  forget(key: string): void {
    this.#failures.delete(key);
    const pending = this.#timers.get(key);
    if (pending) clearTimeout(pending.timer);
    this.#timers.delete(key);
  }

  /** Keys waiting to run (not counting those being reconciled or waiting on a timer). */
  get length(): number {
    return this.#queue.length;
  }

  /** Keys being reconciled now. */
  get running(): number {
    return this.#active;
  }

  /** Consecutive failures of a key so far. */
  failures(key: string): number {
    return this.#failures.get(key) ?? 0;
  }

  /** Resolves when nothing is queued or running (timers may still be pending). */
  async idle(): Promise<void> {
    if (this.#active === 0 && this.#queue.length === 0) return;
    await new Promise<void>((resolve) => this.#idleWaiters.push(resolve));
  }

  /** Stops handing out keys, cancels timers and waits for running reconciles to end. */
  async shutdown(): Promise<void> {
    this.#stopped = true;
    for (const { timer } of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
    this.#queue.length = 0;
    this.#queued.clear();
    this.#dirty.clear();
    await this.idle();
  }

  #pump(): void {
    while (!this.#stopped && this.#active < this.#concurrency && this.#queue.length > 0) {
      const key = this.#queue.shift() as string;
      this.#queued.delete(key);
      this.#running.add(key);
      this.#active += 1;
      void this.#run(key);
    }
    if (this.#active === 0 && this.#queue.length === 0) {
      for (const resolve of this.#idleWaiters.splice(0)) resolve();
    }
  }

  async #run(key: string): Promise<void> {
    try {
      const result = await this.#handler(key);
      this.#failures.delete(key);
      if (result?.requeueAfterMs !== undefined) this.addAfter(key, result.requeueAfterMs);
    } catch (error) {
      const failures = (this.#failures.get(key) ?? 0) + 1;
      this.#failures.set(key, failures);
      const delay = retryDelay(failures, this.#baseRetryDelayMs, this.#maxRetryDelayMs);
      this.#onError?.(key, error, delay);
      this.addAfter(key, delay);
    } finally {
      this.#running.delete(key);
      this.#active -= 1;
      if (this.#dirty.delete(key)) this.add(key);
      this.#pump();
    }
  }
}
