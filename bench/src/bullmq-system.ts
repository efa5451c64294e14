import { Queue } from 'bullmq';
import { fileURLToPath } from 'node:url';
import type { BenchedSystem, RunningWorker } from './benched-system.js';
import { redisConnectionOptions } from './redis-connection-options.js';
import { runPaced } from './run-paced.js';
import { runWindowed } from './run-windowed.js';
import { spawnWorkerProcess } from './spawn-worker-process.js';
import { wallClockMs } from './wall-clock-ms.js';

const PREFIX = 'benchbull';
const workerEntry = fileURLToPath(new URL('./bullmq-noop-worker.js', import.meta.url));

/** The baseline: Queue.add from this process, a plain BullMQ Worker (no-op processor) in a child process. */
export class BullmqSystem implements BenchedSystem {
  readonly name = 'bullmq';
  readonly setup: string;
  private readonly queues = new Map<string, Queue>();

  constructor(private readonly redisUrl: string, private readonly concurrency: number, private readonly window: number) {
    this.setup = `bullmq Worker, concurrency ${concurrency}, default job options; Queue.add with ${window} in flight`;
  }

  private queue(name: string): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, { connection: redisConnectionOptions(this.redisUrl), prefix: PREFIX });
      this.queues.set(name, queue);
    }
    return queue;
  }

  async enqueueNoops(name: string, count: number): Promise<number> {
    const queue = this.queue(name);
    await queue.waitUntilReady();
    const start = performance.now();
    await runWindowed(count, this.window, async () => {
      await queue.add('noop', {});
    });
    return (performance.now() - start) / 1000;
  }

  async remaining(name: string): Promise<number> {
    const counts = await this.queue(name).getJobCounts('wait', 'active', 'prioritized', 'delayed');
    return Object.values(counts).reduce((sum, n) => sum + n, 0);
  }

  async startWorker(name: string): Promise<RunningWorker> {
    const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', fileURLToPath(new URL('../../results/profiles/', import.meta.url))] : [];
    return spawnWorkerProcess('bullmq', process.execPath, [...profile, workerEntry], {
      env: { ...process.env, REDIS_URL: this.redisUrl, BENCH_QUEUE: name, BENCH_CONCURRENCY: String(this.concurrency), BENCH_PREFIX: PREFIX },
    });
  }

  async enqueueTimed(name: string, ratePerSecond: number, count: number): Promise<void> {
    const queue = this.queue(name);
    await runPaced(ratePerSecond, count, async () => {
      await queue.add('noop', { enqueuedAt: wallClockMs() });
    });
  }

  async latencies(name: string): Promise<number[]> {
    const jobs = await this.queue(name).getJobs(['completed'], 0, -1);
    return jobs.map((job) => job.returnvalue as unknown).filter((v): v is number => typeof v === 'number');
  }

  async cleanup(name: string): Promise<void> {
    await this.queue(name).obliterate({ force: true });
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close()));
  }
}
