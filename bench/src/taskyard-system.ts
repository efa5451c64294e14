import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RuntimeEnv } from '@taskyard/api';
import { TaskyardClient } from '@taskyard/client';
import { Redis } from 'ioredis';
import type { BenchedSystem, RunningWorker } from './benched-system.js';
import { runPaced } from './run-paced.js';
import { runWindowed } from './run-windowed.js';
import { spawnWorkerProcess } from './spawn-worker-process.js';
import { wallClockMs } from './wall-clock-ms.js';

const PREFIX = 'benchty';
/** The runtime's `taskyard-worker` entry; BENCH_WORKER_BIN benches another build of it (e.g. a snapshot of a commit). */
const workerBin = process.env.BENCH_WORKER_BIN || fileURLToPath(new URL('./bin/taskyard-worker.js', import.meta.resolve('@taskyard/worker-runtime')));

/**
 * Taskyard: client.enqueue from this process (the SDK, as an app would), the worker runtime's
 * `taskyard-worker run` in a child process with bench/bundle/noop.mjs. BENCH_CPU_PROF=1 runs the
 * worker with --cpu-prof (profiles in bench/results/profiles/).
 */
export class TaskyardSystem implements BenchedSystem {
  readonly name = 'taskyard';
  readonly setup: string;
  private readonly client: TaskyardClient;
  private readonly redis: Redis;

  constructor(private readonly redisUrl: string, private readonly concurrency: number, private readonly window: number, private readonly benchDir: string) {
    this.setup = `taskyard-worker run, concurrency ${concurrency} (sandbox threads), default queue policy; client.enqueue with ${window} in flight`;
    this.client = new TaskyardClient({ redisUrl, prefix: PREFIX });
    this.redis = new Redis(redisUrl);
  }

  async enqueueNoops(queue: string, count: number): Promise<number> {
    await this.client.queueCounts(queue); // connect and read the queue policy outside the timed part
    const start = performance.now();
    await runWindowed(count, this.window, async () => {
      await this.client.enqueue('noop', [], { queue });
    });
    return (performance.now() - start) / 1000;
  }

  async remaining(queue: string): Promise<number> {
    const c = await this.client.queueCounts(queue);
    return c.waiting + c.prioritized + c.active + c.delayed + c.paused + c.waitingChildren;
  }

  async startWorker(queue: string): Promise<RunningWorker> {
    const nodeArgs: string[] = [];
    if (process.env.BENCH_CPU_PROF) {
      const dir = join(this.benchDir, 'results', 'profiles');
      mkdirSync(dir, { recursive: true });
      nodeArgs.push('--cpu-prof', '--cpu-prof-dir', dir);
    }
    return spawnWorkerProcess('taskyard', process.execPath, [...nodeArgs, workerBin, 'run'], {
      env: {
        ...process.env,
        [RuntimeEnv.redisUrl]: this.redisUrl,
        [RuntimeEnv.prefix]: PREFIX,
        [RuntimeEnv.queues]: queue,
        [RuntimeEnv.concurrency]: String(this.concurrency),
        [RuntimeEnv.bundlePath]: join(this.benchDir, 'bundle', 'noop.mjs'),
        [RuntimeEnv.httpPort]: '0',
        [RuntimeEnv.logLevel]: 'warn',
      },
    });
  }

  async enqueueTimed(queue: string, ratePerSecond: number, count: number): Promise<void> {
    await runPaced(ratePerSecond, count, async () => {
      await this.client.enqueue('noop', [wallClockMs()], { queue });
    });
  }

  async latencies(queue: string): Promise<number[]> {
    const jobs = await this.client.queue(queue).getJobs(['completed'], 0, -1);
    return jobs.map((job) => job.returnvalue as unknown).filter((v): v is number => typeof v === 'number');
  }

  async cleanup(queue: string): Promise<void> {
    await this.client.queue(queue).obliterate({ force: true });
    let cursor = '0';
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', `${PREFIX}:task:*`, 'COUNT', 5000);
      cursor = next;
      if (keys.length > 0) await this.redis.del(...keys);
    } while (cursor !== '0');
  }

  async close(): Promise<void> {
    await this.client.close();
    this.redis.disconnect();
  }
}
