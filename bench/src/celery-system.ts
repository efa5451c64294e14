import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import type { BenchedSystem, RunningWorker } from './benched-system.js';
import { spawnWorkerProcess } from './spawn-worker-process.js';

/**
 * Celery 5 on its Redis broker: producers are bench/celery/driver.py (apply_async in a loop), the worker
 * is `celery worker` from bench/.venv. Pending tasks are the broker list plus kombu's `unacked` hash.
 */
export class CelerySystem implements BenchedSystem {
  readonly name = 'celery';
  readonly setup: string;
  private readonly redis: Redis;
  private readonly appDir: string;

  constructor(private readonly redisUrl: string, private readonly venvBin: string, benchDir: string,
    private readonly concurrency: number, private readonly pool: string, version: string) {
    this.setup = `celery ${version} worker --pool ${pool} --concurrency ${concurrency}, prefetch multiplier 4, ` +
      'no result backend; sequential apply_async';
    this.redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
    this.appDir = join(benchDir, 'celery');
  }

  private startsKey(queue: string): string {
    return `bench:celery-starts:${queue}`;
  }

  private async driver(args: string[], queue: string): Promise<number> {
    const child = spawn(join(this.venvBin, 'python'), ['driver.py', ...args], {
      cwd: this.appDir, env: { ...process.env, REDIS_URL: this.redisUrl, BENCH_STARTS_KEY: this.startsKey(queue) },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => { out += chunk.toString(); });
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    if (code !== 0) throw new Error(`celery driver ${args.join(' ')} exited ${code}`);
    return (JSON.parse(out.trim().split('\n').pop() ?? '{}') as { seconds: number }).seconds;
  }

  enqueueNoops(queue: string, count: number): Promise<number> {
    return this.driver(['enqueue', queue, String(count)], queue);
  }

  async remaining(queue: string): Promise<number> {
    const [waiting, unacked] = await Promise.all([this.redis.llen(queue), this.redis.hlen('unacked')]);
    return waiting + unacked;
  }

  async startWorker(queue: string): Promise<RunningWorker> {
    return spawnWorkerProcess('celery', join(this.venvBin, 'celery'), [
      '-A', 'bench_app', 'worker', '-Q', queue, '--pool', this.pool, '--concurrency', String(this.concurrency),
      '--without-gossip', '--without-mingle', '--without-heartbeat', '--loglevel', 'WARNING',
    ], { cwd: this.appDir, env: { ...process.env, REDIS_URL: this.redisUrl, BENCH_STARTS_KEY: this.startsKey(queue) } });
  }

  async enqueueTimed(queue: string, ratePerSecond: number, count: number): Promise<void> {
    await this.driver(['paced', queue, String(ratePerSecond), String(count)], queue);
  }

  async latencies(queue: string): Promise<number[]> {
    return (await this.redis.lrange(this.startsKey(queue), 0, -1)).map(Number);
  }

  async cleanup(queue: string): Promise<void> {
    await this.redis.del(queue, this.startsKey(queue), 'unacked', 'unacked_index');
  }

  async close(): Promise<void> {
    await this.redis.quit();
  }
}
