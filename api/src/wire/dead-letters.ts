import { Queue } from 'bullmq';
import { DeadLetterRecordSchema, type DeadLetterRecord } from '../task-message.js';
import type { RedisConnection } from './connect-redis.js';
import { bullDeadQueueName, type QueueRef, type TaskyardKeys } from './keys.js';

export { DeadLetterRecordSchema, type DeadLetterRecord };

/**
 * Dead letters: tasks whose last attempt failed, with their error.
 *
 * | key                              | type   | written by | value |
 * |----------------------------------|--------|------------|-------|
 * | BullMQ queue `{ns/q}.dead`, prefix P (`P:{ns/q}.dead:*`) | BullMQ | runtime | one waiting job per dead letter: name = task name, id = `<task id>-dead-<failedAt>`, data = `DeadLetterRecord` (api/task-message.ts: taskId, namespace, queue, message, error, attemptsMade, failedAt, worker) |
 *
 * Nothing consumes that queue. Writer: `DeadLetterQueue.record` (runtime, after the last attempt;
 * entries older than the policy's `deadLetter.ttl` are cleaned at most once a minute per worker).
 * Readers/writers for the SDK and console: `list`, `count`, `remove`, `purge`, and `replay`, which
 * removes the failed job, hands the message to the caller's enqueue (the SDK's claim → add →
 * finalize) and then drops the entry. The dead queue shares the queue's `{ns/q}` slot.
 */

/** One entry of a dead-letter queue as listed. */
export interface DeadLetterEntry extends DeadLetterRecord {
  /** Id of the entry in the dead-letter queue (pass it to replay / remove). */
  id: string;
}

/** A queue's dead letters. Shares the caller's connection; `close()` closes only the BullMQ Queue object. */
export class DeadLetterQueue {
  readonly queue: Queue;
  private lastClean = 0;

  constructor(conn: RedisConnection, keys: TaskyardKeys, readonly ref: QueueRef) {
    // skipMetasUpdate: opening it (to list or count) writes nothing; an add sets the meta it needs.
    this.queue = new Queue(bullDeadQueueName(ref), { connection: conn, prefix: keys.prefix, skipMetasUpdate: true });
    this.queue.on('error', () => undefined); // surfaced per call
  }

  /** Adds a dead letter; when `ttlMs` is given, entries older than it are cleaned (at most once a minute). */
  async record(record: DeadLetterRecord, ttlMs?: number): Promise<string> {
    const checked = DeadLetterRecordSchema.parse(record);
    const id = `${checked.taskId}-dead-${checked.failedAt}`;
    await this.queue.add(checked.message.name, checked, { jobId: id, removeOnComplete: false, removeOnFail: false });
    if (ttlMs !== undefined && checked.failedAt - this.lastClean > 60_000) {
      this.lastClean = checked.failedAt;
      await this.queue.clean(ttlMs, 1000, 'wait').catch(() => []);
    }
    return id;
  }

  /** Entries, newest first; ones that do not parse are skipped. */
  async list(page: { offset?: number; limit?: number } = {}): Promise<DeadLetterEntry[]> {
    const offset = page.offset ?? 0;
    const limit = page.limit ?? 100;
    const jobs = await this.queue.getJobs(['wait'], offset, offset + limit - 1, false);
    const out: DeadLetterEntry[] = [];
    for (const job of jobs) {
      const parsed = DeadLetterRecordSchema.safeParse(job.data);
      if (parsed.success && job.id) out.push({ ...parsed.data, id: job.id });
    }
    return out;
  }

  /** How many dead letters the queue holds. */
  async count(): Promise<number> {
    const counts = await this.queue.getJobCounts('wait');
    return counts.wait ?? 0;
  }

  /** Drops one entry. True when it was there. */
  async remove(entryId: string): Promise<boolean> {
    return (await this.queue.remove(entryId)) === 1;
  }

  /** Deletes every dead letter; returns how many there were. */
  async purge(): Promise<number> {
    const n = await this.count();
    await this.queue.drain(true);
    return n;
  }

  /**
   * Runs a dead letter again: the task's failed job (same task queue, same id) is removed,
   * `enqueue` adds the message anew under its task id, then the entry is dropped. When `enqueue`
   * throws, the entry stays.
   */
  async replay(entry: DeadLetterEntry, taskQueue: Queue, enqueue: (message: DeadLetterRecord['message'], taskId: string) => Promise<void>): Promise<void> {
    const old = await taskQueue.getJob(entry.taskId);
    if (old) await old.remove({ removeChildren: false }).catch(() => undefined);
    await enqueue({ ...entry.message, replayOf: entry.id }, entry.taskId);
    await this.remove(entry.id);
  }

  async close(): Promise<void> {
    await this.queue.close().catch(() => undefined);
  }
}
