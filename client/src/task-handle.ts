import type { TaskStatus } from './task-status.js';

/** The part of the client a handle needs (keeps the handle free of a cyclic import). */
export interface TaskHandleClient {
  status(id: string, options?: { queue?: string }): Promise<TaskStatus>;
  result(id: string, options?: ResultOptions): Promise<unknown>;
  revoke(id: string, options?: { terminate?: boolean; queue?: string }): Promise<unknown>;
}

/** Options of `result()`. */
export interface ResultOptions {
  /** Give up after this many ms with ResultTimeoutError. Default: wait forever (Celery's get()). */
  timeout?: number;
  /** Queue of the task, when not the one recorded at enqueue. */
  queue?: string;
  /** Longest pause between two state reads, ms. Default 200. */
  maxPollInterval?: number;
}

/** A task that was enqueued (Celery's AsyncResult). */
export class TaskHandle {
  constructor(
    private readonly client: TaskHandleClient,
    /** The task id. */
    readonly id: string,
    /** The queue it was put on. */
    readonly queue: string,
    /** The task name. */
    readonly name: string,
    /**
     * True when this call added the task; false when a task with the same id (taskId,
     * idempotencyKey, Schedule tick) already existed or a racing call added it: of many calls with
     * one id, exactly one gets true. The handle works either way.
     */
    readonly enqueued: boolean = true,
  ) {}

  status(): Promise<TaskStatus> {
    return this.client.status(this.id, { queue: this.queue });
  }

  /** Resolves with the return value; rejects with the task's error on FAILURE, TaskRevokedError on REVOKED. */
  result(options: Omit<ResultOptions, 'queue'> = {}): Promise<unknown> {
    return this.client.result(this.id, { ...options, queue: this.queue });
  }

  /** Revokes the task (TaskyardClient.revoke: TaskAlreadyFinishedError once it finished). */
  async revoke(options: { terminate?: boolean } = {}): Promise<void> {
    await this.client.revoke(this.id, { ...options, queue: this.queue });
  }

  /** Last value the task reported with ctx.progress(), or undefined. */
  async progress(): Promise<unknown> {
    return (await this.status()).progress;
  }

  toJSON(): { id: string; queue: string; name: string; enqueued: boolean } {
    return { id: this.id, queue: this.queue, name: this.name, enqueued: this.enqueued };
  }
}

/** The handle of a group: its tasks in order. */
export class GroupHandle {
  constructor(
    /** An id for the group (not stored in Redis). */
    readonly id: string,
    readonly tasks: readonly TaskHandle[],
  ) {}

  /** The results in the group's order; rejects with the first failure. */
  results(options: Omit<ResultOptions, 'queue'> = {}): Promise<unknown[]> {
    return Promise.all(this.tasks.map((t) => t.result(options)));
  }
}
