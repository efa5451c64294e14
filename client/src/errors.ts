import type { TaskError as TaskErrorData } from '@taskyard/api';

/** An argument that JSON cannot carry faithfully (function, BigInt, circular, ...). Nothing was enqueued. */
export class NonJsonArgumentError extends TypeError {
  override readonly name = 'NonJsonArgumentError';
  constructor(
    readonly task: string,
    readonly path: string,
    readonly problem: string,
  ) {
    super(
      `task "${task}": argument ${path} ${problem}; task arguments must be JSON (strings, numbers, booleans, null, arrays, plain objects) - convert it or pass an id/reference instead. Nothing was enqueued.`,
    );
  }
}

/** Arguments larger than the queue's maxPayloadBytes. Nothing was enqueued. */
export class PayloadTooLargeError extends RangeError {
  override readonly name = 'PayloadTooLargeError';
  constructor(
    readonly task: string,
    readonly queue: string,
    readonly bytes: number,
    readonly maxBytes: number,
  ) {
    super(
      `task "${task}" on queue "${queue}": arguments are ${bytes} bytes of JSON, over the queue's maxPayloadBytes of ${maxBytes}. Store the data elsewhere (an object-store key, a database id, a URL) and pass that reference as the argument instead. Nothing was enqueued.`,
    );
  }
}

/** Invalid enqueue options (names the option and the fix). Nothing was enqueued. */
export class InvalidEnqueueOptionsError extends TypeError {
  override readonly name = 'InvalidEnqueueOptionsError';
}

/** The task failed (state FAILURE); `name`, `message` and `remoteStack` are the task's own error's. */
export class TaskFailedError extends Error {
  readonly remoteStack: string | undefined;
  constructor(
    readonly taskId: string,
    error: TaskErrorData,
  ) {
    super(error.message);
    this.name = error.name;
    this.remoteStack = error.stack;
  }
}

/** The task was revoked or expired (state REVOKED); it produced no result. */
export class TaskRevokedError extends Error {
  override readonly name = 'TaskRevokedError';
  constructor(
    readonly taskId: string,
    readonly reason: string,
  ) {
    super(`task ${taskId} was ${reason === 'expired' ? 'not started before it expired' : 'revoked'}; it has no result`);
  }
}

/** `result()` waited `timeout` ms and the task had not finished (it may still finish later). */
export class ResultTimeoutError extends Error {
  override readonly name = 'ResultTimeoutError';
  constructor(
    readonly taskId: string,
    readonly timeout: number,
    readonly lastState: string,
  ) {
    super(`task ${taskId} did not finish within ${timeout} ms (last state ${lastState}); it may still finish - call result() again or raise the timeout`);
  }
}

/** Redis could not be reached; the operation did not happen (enqueue: nothing was added). */
export class RedisUnavailableError extends Error {
  override readonly name = 'RedisUnavailableError';
  constructor(
    readonly operation: string,
    cause: unknown,
  ) {
    super(
      `Redis unavailable during ${operation}: ${((cause as Error)?.message ?? String(cause)).replace(/\.+$/, '')}. Nothing was written; retry when Redis is back (check TASKYARD_REDIS_URL / redisUrl).`,
      { cause },
    );
  }
}

/** No queue of the namespace knows the task id (never enqueued, or its result expired). Nothing was written. */
export class TaskNotFoundError extends Error {
  override readonly name = 'TaskNotFoundError';
  constructor(
    readonly taskId: string,
    readonly where: string,
  ) {
    super(`task ${taskId} not found in ${where} (never enqueued, or its result expired); check the id, or name its queue (queue option / --queue, --namespace). Nothing was written.`);
  }
}

/** The task already finished (SUCCESS or FAILURE): a finished task cannot be revoked. Nothing was written. */
export class TaskAlreadyFinishedError extends Error {
  override readonly name = 'TaskAlreadyFinishedError';
  constructor(
    readonly taskId: string,
    readonly state: string,
  ) {
    super(`task ${taskId} already finished (${state}); a finished task cannot be revoked. Nothing was written.`);
  }
}
