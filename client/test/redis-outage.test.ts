import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { after, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { RedisUnavailableError, TaskyardClient } from '../src/index.js';

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      s.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function startRedis(port: number): Promise<ChildProcess> {
  const dir = mkdtempSync(`${tmpdir()}/taskyard-outage-`);
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' });
  const probe = new Redis(port, '127.0.0.1', { lazyConnect: true, retryStrategy: () => 50, maxRetriesPerRequest: null });
  probe.on('error', () => undefined);
  await probe.connect().catch(() => undefined);
  await probe.ping();
  probe.disconnect();
  return child;
}

describe('client during a Redis outage', () => {
  const children: ChildProcess[] = [];
  after(() => children.forEach((c) => c.kill('SIGKILL')));

  it('fails fast with RedisUnavailableError while Redis is down, and works again once it is back', async () => {
    const port = await freePort();
    children.push(await startRedis(port));
    const client = new TaskyardClient({ redisUrl: `redis://127.0.0.1:${port}`, prefix: 'outage', defaultQueue: 'q' });
    try {
      const before = await client.enqueue('t', [1]);
      const redis = children[0] as ChildProcess;
      redis.kill('SIGKILL');
      await new Promise((r) => redis.once('exit', r));
      const err = await client.enqueue('t', [2]).catch((e: unknown) => e);
      assert.ok(err instanceof RedisUnavailableError, `expected RedisUnavailableError, got ${String(err)}`);
      assert.match(err.message, /Redis unavailable during enqueue: .*Nothing was written; retry when Redis is back/);
      await assert.rejects(client.status(before.id), RedisUnavailableError);

      children.push(await startRedis(port));
      const deadline = Date.now() + 20_000;
      let again;
      while (!again) {
        again = await client.enqueue('t', [3]).catch((e: unknown) => {
          if (!(e instanceof RedisUnavailableError) || Date.now() > deadline) throw e;
          return undefined;
        });
        if (!again) await new Promise((r) => setTimeout(r, 100));
      }
      assert.equal((await client.status(again.id)).state, 'PENDING');
    } finally {
      await client.close();
    }
  });
});
