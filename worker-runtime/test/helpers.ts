import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { connectRedis, liveWorkers, publishQueuePolicy, taskyardKeys, type QueueRef, type RedisConnection, type WorkerInfo } from '@taskyard/api/wire';
import { TaskyardClient } from '@taskyard/client';
import { TaskyardWorker } from '../src/taskyard-worker.js';
import type { WorkerOptions } from '../src/worker-options.js';

export const REDIS_URL = process.env.TASKYARD_TEST_REDIS_URL ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
export const FIXTURES = fileURLToPath(new URL('../../test/fixtures/', import.meta.url));
export const TASKS_BUNDLE = `${FIXTURES}tasks.mjs`;
export const WORKER_BIN = fileURLToPath(new URL('../src/bin/taskyard-worker.js', import.meta.url));

export function randomName(kind: string): string {
  return `${kind}-${randomBytes(4).toString('hex')}`;
}

/**
 * One test's world: a random key prefix and queue name on the test Redis, a client, the workers
 * and processes it started; `cleanup()` stops them and deletes every key under the prefix.
 */
export class TestWorld {
  readonly prefix = randomName('tytest');
  /** Each world in its own namespace, so every test also checks that worker and SDK agree on it. */
  readonly namespace = randomName('ns');
  readonly queue = randomName('q');
  readonly keys = taskyardKeys(this.prefix);
  readonly client: TaskyardClient;
  readonly logs: string[] = [];
  /** A scratch directory for journals and flags that tasks write; removed by cleanup(). */
  readonly dir = mkdtempSync(join(tmpdir(), 'taskyard-test-'));
  private readonly workers: TaskyardWorker[] = [];
  private readonly processes: ChildProcess[] = [];

  constructor() {
    this.client = new TaskyardClient({ redisUrl: REDIS_URL, prefix: this.prefix, namespace: this.namespace, defaultQueue: this.queue });
  }

  ref(queue = this.queue): QueueRef {
    return { namespace: this.namespace, name: queue };
  }

  /** Publishes a queue policy the way the operator does (wire/queue-policy.ts writer). */
  async setPolicy(policy: unknown, queue = this.queue): Promise<void> {
    const conn = await openConnection('operator');
    try {
      await publishQueuePolicy(conn, this.keys, this.ref(queue), policy);
    } finally {
      conn.disconnect();
    }
  }

  /** The live workers of this world's namespace, read the way the CLI and console read them. */
  async liveWorkers(): Promise<WorkerInfo[]> {
    const conn = await openConnection('client');
    try {
      return await liveWorkers(conn, this.keys, this.namespace);
    } finally {
      conn.disconnect();
    }
  }

  async worker(options: Partial<WorkerOptions> = {}): Promise<TaskyardWorker> {
    const worker = await TaskyardWorker.start({
      redisUrl: REDIS_URL,
      prefix: this.prefix,
      namespace: this.namespace,
      queues: [this.queue],
      bundlePath: TASKS_BUNDLE,
      logLevel: 'debug',
      logWrite: (line) => this.logs.push(line),
      ...options,
    });
    this.workers.push(worker);
    return worker;
  }

  /** Starts `taskyard-worker run` as a separate process; resolves once it logged "worker started". */
  async workerProcess(extraEnv: Record<string, string> = {}, args: string[] = []): Promise<WorkerProcess> {
    const wp = this.spawnWorker(extraEnv, args);
    await wp.waitForLog((l) => l.msg === 'worker started', 30_000);
    return wp;
  }

  /** Starts `taskyard-worker run` as a separate process and returns at once (it may fail to start). */
  spawnWorker(extraEnv: Record<string, string> = {}, args: string[] = []): WorkerProcess {
    const child = spawn(process.execPath, [WORKER_BIN, 'run', ...args], {
      env: {
        ...process.env,
        TASKYARD_REDIS_URL: REDIS_URL,
        TASKYARD_PREFIX: this.prefix,
        TASKYARD_NAMESPACE: this.namespace,
        TASKYARD_QUEUES: this.queue,
        TASKYARD_BUNDLE_PATH: TASKS_BUNDLE,
        TASKYARD_HTTP_PORT: '0',
        TASKYARD_LOG_LEVEL: 'debug',
        ...extraEnv,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.processes.push(child);
    return new WorkerProcess(child);
  }

  async redis(): Promise<Redis> {
    const r = new Redis(REDIS_URL);
    return r;
  }

  async cleanup(): Promise<void> {
    for (const p of this.processes) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
    await Promise.all(this.workers.map((w) => w.close().catch(() => undefined)));
    await this.client.close();
    const r = new Redis(REDIS_URL);
    let cursor = '0';
    do {
      const [next, keys] = await r.scan(cursor, 'MATCH', `${this.prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await r.del(...keys);
    } while (cursor !== '0');
    r.disconnect();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A connection to the test Redis through the one connect function, connected. */
async function openConnection(role: 'client' | 'operator'): Promise<RedisConnection> {
  const conn = connectRedis(REDIS_URL, { role, lazyConnect: true });
  conn.on('error', () => undefined); // the awaited command reports it
  await conn.connect();
  return conn;
}

/** A `taskyard-worker` child process and its JSON log lines. */
export class WorkerProcess {
  readonly lines: Array<Record<string, unknown>> = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private buffer = '';
  private readonly listeners = new Set<() => void>();

  constructor(readonly child: ChildProcess) {
    const onData = (chunk: Buffer): void => {
      this.buffer += chunk.toString('utf8');
      let nl: number;
      while ((nl = this.buffer.indexOf('\n')) >= 0) {
        const line = this.buffer.slice(0, nl);
        this.buffer = this.buffer.slice(nl + 1);
        try {
          this.lines.push(JSON.parse(line) as Record<string, unknown>);
        } catch {
          this.lines.push({ raw: line });
        }
      }
      for (const l of this.listeners) l();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    this.exited = new Promise((resolve) => child.on('exit', (code, signal) => {
      for (const l of this.listeners) l();
      resolve({ code, signal });
    }));
  }

  waitForLog(match: (line: Record<string, unknown>) => boolean, timeoutMs = 30_000): Promise<Record<string, unknown>> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        const found = this.lines.find(match);
        if (found) {
          cleanup();
          resolve(found);
        } else if (this.child.exitCode !== null || this.child.signalCode !== null) {
          cleanup();
          reject(new Error(`worker process exited before the expected log line; log:\n${this.lines.map((l) => JSON.stringify(l)).join('\n')}`));
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`timed out waiting for a log line; log:\n${this.lines.map((l) => JSON.stringify(l)).join('\n')}`));
      }, timeoutMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        this.listeners.delete(check);
      };
      this.listeners.add(check);
      check();
    });
  }
}

/** Polls `condition` until it returns a truthy value; fails with `what` after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  condition: () => Promise<T | undefined | null | false | 0 | ''> | T | undefined | null | false | 0 | '',
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await condition();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
