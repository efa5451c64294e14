/** A task system under benchmark. Each phase uses its own queue name, given by the runner. */
export interface BenchedSystem {
  /** Short name used in results ("bullmq", "taskyard", "celery"). */
  readonly name: string;
  /** One line saying how the worker runs (pool, concurrency, version). */
  readonly setup: string;
  /** Stores `count` no-op tasks on `queue` with no worker running; resolves with the producer's own seconds. */
  enqueueNoops(queue: string, count: number): Promise<number>;
  /** Tasks of `queue` not finished yet (waiting, prefetched or running). */
  remaining(queue: string): Promise<number>;
  /** Starts a worker process consuming `queue`. */
  startWorker(queue: string): Promise<RunningWorker>;
  /**
   * Enqueues `count` tasks at `ratePerSecond` (open loop), each carrying its enqueue time, while a worker
   * runs; resolves once all were sent. `latencies` reads their enqueue->start delays after they ran.
   */
  enqueueTimed(queue: string, ratePerSecond: number, count: number): Promise<void>;
  /** Enqueue->start delays (ms) of the tasks sent by enqueueTimed on `queue`. */
  latencies(queue: string): Promise<number[]>;
  /** Deletes what the phases left in Redis. */
  cleanup(queue: string): Promise<void>;
  close(): Promise<void>;
}

export interface RunningWorker {
  /** CPU time (user + system, all threads) the worker process used so far, in seconds. */
  cpuSeconds(): number;
  /** SIGTERM, then SIGKILL after a grace period; resolves when the process exited. */
  stop(): Promise<void>;
}
