import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { after, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { TaskyardClient } from '@taskyard/client';
import { TaskyardWorker } from '../src/taskyard-worker.js';
import { TASKS_BUNDLE } from './helpers.js';

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      s.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** A private redis-server with an append-only file, so a restart keeps its data. */
async function startRedis(port: number, dir: string): Promise<ChildProcess> {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'yes', '--appendfsync', 'always', '--dir', dir], { stdio: 'ignore' });
  const probe = new Redis(port, '127.0.0.1', { lazyConnect: true, retryStrategy: () => 50, maxRetriesPerRequest: null });
  probe.on('error', () => undefined);
  await probe.connect().catch(() => undefined);
  await probe.ping();
  probe.disconnect();
  return child;
}

describe('worker during a Redis outage', () => {
  const children: ChildProcess[] = [];
  after(() => children.forEach((c) => c.kill('SIGKILL')));

  it('keeps running through a Redis restart and then runs the tasks that were queued: nothing lost', async () => {
    const port = await freePort();
    const dir = mkdtempSync(`${tmpdir()}/taskyard-outage-`);
    children.push(await startRedis(port, dir));
    const url = `redis://127.0.0.1:${port}`;
    const worker = await TaskyardWorker.start({ redisUrl: url, prefix: 'outage', queues: ['q'], bundlePath: TASKS_BUNDLE, logWrite: () => undefined });
    const client = new TaskyardClient({ redisUrl: url, prefix: 'outage', defaultQueue: 'q' });
    try {
      assert.equal(await (await client.enqueue('add', [1, 1])).result({ timeout: 20_000 }), 2);
      const queued = await client.enqueue('add', [20, 1], { countdown: 2000 });
      const redis = children[0] as ChildProcess;
      redis.kill('SIGTERM');
      await new Promise((r) => redis.once('exit', r));
      await new Promise((r) => setTimeout(r, 500));
      children.push(await startRedis(port, dir));
      assert.equal(await queued.result({ timeout: 30_000 }), 21);
      assert.equal(await (await client.enqueue('add', [2, 2])).result({ timeout: 20_000 }), 4);
      assert.equal(worker.isReady(), true);
    } finally {
      await client.close();
      await worker.close();
    }
  });
});
