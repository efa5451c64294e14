/** What one run measured for one system (written to bench/results/throughput.json). */
export interface SystemFigures {
  system: string;
  setup: string;
  /** Tasks in the enqueue and processing phases. */
  n: number;
  /** Tasks stored per second by the producer, no worker running. */
  enqueuePerSecond: number;
  /** CPU time (µs) the producer process spent per enqueued task (Node producers only; NaN for Celery). */
  producerCpuUsPerTask: number;
  /** Tasks finished per second by one worker process draining a full queue (start-up excluded). */
  processPerSecond: number;
  /** CPU time (µs, all threads) the worker process spent per task while draining: load-independent cost. */
  workerCpuUsPerTask: number;
  /** Tasks per second end to end with producer and worker running at full speed together on this machine. */
  sustainedPerSecond: number;
  /** Rate of the latency phase: half of sustainedPerSecond. */
  latencyRatePerSecond: number;
  /** Tasks in the latency phase. */
  latencyTasks: number;
  /** Enqueue->handler-start delay percentiles in ms at latencyRatePerSecond. */
  startLatencyMs: LatencyPercentiles;
  /** A fixed low rate (tasks/s) for a second latency measurement. */
  lowRatePerSecond: number;
  /** Enqueue->handler-start delay percentiles in ms at lowRatePerSecond. */
  lowRateStartLatencyMs: LatencyPercentiles;
}

export interface LatencyPercentiles {
  p50: number;
  p90: number;
  p99: number;
  max: number;
}
