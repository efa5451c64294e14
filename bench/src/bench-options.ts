/** What one benchmark run does. Every field can be set by an environment variable. */
export interface BenchOptions {
  /** Redis the three systems share (REDIS_URL; required, scripts/with-redis.sh sets it). */
  redisUrl: string;
  /** Tasks per throughput phase for the Node systems (BENCH_N; default 10000). */
  n: number;
  /** Tasks per throughput phase for Celery, which is slower (BENCH_CELERY_N; default 5000). */
  celeryN: number;
  /** Tasks run at once by each worker (BENCH_CONCURRENCY; default 16). */
  concurrency: number;
  /** Enqueue calls in flight at once from the Node producers (BENCH_ENQUEUE_WINDOW; default 64). */
  enqueueWindow: number;
  /** Length of the latency phase in seconds, at half the measured processing rate (BENCH_LATENCY_SECONDS; default 3). */
  latencySeconds: number;
  /** Rounds per Node system, interleaved; figures are medians (BENCH_ROUNDS; default 3). Celery runs once. */
  rounds: number;
  /** Systems to run, comma-separated (BENCH_SYSTEMS; default "bullmq,taskyard,celery"). */
  systems: string[];
}

const positiveInt = (name: string, fallback: number): number => {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) {
    throw new Error(`${name}=${raw} is not a positive integer: set it to e.g. ${fallback} or unset it`);
  }
  return value;
};

export function readBenchOptions(): BenchOptions {
  const redisUrl = process.env.REDIS_URL;
  if (!redisUrl) {
    throw new Error('REDIS_URL is not set: run the bench through `make -C bench all` (scripts/with-redis.sh starts a Redis)');
  }
  return {
    redisUrl,
    n: positiveInt('BENCH_N', 10000),
    celeryN: positiveInt('BENCH_CELERY_N', 5000),
    concurrency: positiveInt('BENCH_CONCURRENCY', 16),
    enqueueWindow: positiveInt('BENCH_ENQUEUE_WINDOW', 64),
    latencySeconds: positiveInt('BENCH_LATENCY_SECONDS', 3),
    rounds: positiveInt('BENCH_ROUNDS', 3),
    systems: (process.env.BENCH_SYSTEMS ?? 'bullmq,taskyard,celery').split(',').map((s) => s.trim()).filter(Boolean),
  };
}
