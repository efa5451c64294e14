/**
 * The baseline: a plain BullMQ Worker with a no-op processor, run as its own process like the others.
 * Env: REDIS_URL, BENCH_QUEUE, BENCH_CONCURRENCY, BENCH_PREFIX.
 * A job whose data has `enqueuedAt` (ms since the epoch) returns its enqueue->start delay.
 */
import { Worker } from 'bullmq';
import { redisConnectionOptions } from './redis-connection-options.js';
import { wallClockMs } from './wall-clock-ms.js';

const worker = new Worker<{ enqueuedAt?: number }, number | null>(
  process.env.BENCH_QUEUE ?? 'bench',
  async (job) => {
    const started = wallClockMs();
    return job.data.enqueuedAt === undefined ? null : started - job.data.enqueuedAt;
  },
  {
    connection: redisConnectionOptions(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'),
    concurrency: Number(process.env.BENCH_CONCURRENCY ?? '1'),
    prefix: process.env.BENCH_PREFIX ?? 'bull',
  },
);
worker.on('error', (err) => process.stderr.write(`${JSON.stringify({ level: 'error', msg: err.message })}\n`));
process.once('SIGTERM', () => {
  void worker.close().then(() => process.exit(0));
});
