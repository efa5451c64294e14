import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { bullQueueName, taskyardKeys } from '@taskyard/api/wire';
import { RedisUnavailableError, TaskyardClient } from '../src/index.js';

const REDIS_URL = process.env.TASKYARD_TEST_REDIS_URL ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const rand = (p: string): string => `${p}-${randomBytes(4).toString('hex')}`;
const RACER = fileURLToPath(new URL('./fixtures/race-enqueue.js', import.meta.url));

describe('enqueue is atomic: exactly one racing caller enqueues, a rejected enqueue leaves nothing', () => {
  const prefix = rand('tyatomic');
  const queue = rand('q');
  const keys = taskyardKeys(prefix);
  const ref = { namespace: 'default', name: queue };
  let redis: Redis;
  let client: TaskyardClient;
  before(() => {
    redis = new Redis(REDIS_URL);
    client = new TaskyardClient({ redisUrl: REDIS_URL, prefix, defaultQueue: queue });
  });
  after(async () => {
    await client.close();
    const found = await redis.keys(`${prefix}:*`);
    if (found.length) await redis.del(...found);
    redis.disconnect();
  });

  it('100 idempotency keys, each enqueued 4 times at once from two processes: each key reports enqueued exactly once', async () => {
    const idemKeys = Array.from({ length: 100 }, (_, i) => `order-${i}-${randomBytes(3).toString('hex')}`);
    const startAt = String(Date.now() + 1500);
    const runs = await Promise.all([0, 1].map(() => promisify(execFile)(process.execPath, [RACER, REDIS_URL, prefix, queue, startAt, ...idemKeys], { timeout: 30_000 })));
    const enqueued = runs.flatMap((r) => JSON.parse(r.stdout) as string[]);
    const perKey = new Map<string, number>();
    for (const k of enqueued) perKey.set(k, (perKey.get(k) ?? 0) + 1);
    const wrong = idemKeys.filter((k) => perKey.get(k) !== 1).map((k) => `${k}: ${perKey.get(k) ?? 0}`);
    assert.deepEqual(wrong, [], 'every key must be reported enqueued by exactly one of its 4 racing calls');
    const counts = await client.queueCounts(queue);
    assert.equal(counts.waiting + counts.prioritized, 100);
  });

  it('an add that Redis rejects (a script error) leaves no task marker: status says PENDING, unknown', async () => {
    // Another process corrupted the queue's id counter (BullMQ's key P:{ns/q}:id): BullMQ's add
    // script fails on its first command, after the claim succeeded.
    const idCounter = `${prefix}:${bullQueueName(ref)}:id`;
    await redis.set(idCounter, 'not-a-number');
    try {
      await assert.rejects(client.enqueue('t', [1], { taskId: 'rejected-1' }), /not an integer|ERR/);
    } finally {
      await redis.del(idCounter);
    }
    assert.equal(await redis.exists(keys.task(ref, 'rejected-1')), 0, 'no marker');
    assert.equal(await redis.exists(keys.job(ref, 'rejected-1')), 0, 'no job');
    const status = await client.status('rejected-1');
    assert.equal(status.state, 'PENDING');
    assert.equal(status.name, undefined, 'unknown id, not a pending task');
    const again = await client.enqueue('t', [1], { taskId: 'rejected-1' });
    assert.equal(again.enqueued, true, 'the id is free again once Redis accepts writes');
  });

  it('an enqueue refused by a full Redis (maxmemory, noeviction) writes nothing', async () => {
    const [, oldMax] = (await redis.config('GET', 'maxmemory')) as [string, string];
    const [, oldPolicy] = (await redis.config('GET', 'maxmemory-policy')) as [string, string];
    await redis.config('SET', 'maxmemory-policy', 'noeviction');
    await redis.config('SET', 'maxmemory', '1');
    try {
      await assert.rejects(client.enqueue('t', [1], { taskId: 'oom-1' }), (err: unknown) => !(err instanceof RedisUnavailableError) && /OOM/.test(String(err)));
    } finally {
      await redis.config('SET', 'maxmemory', oldMax);
      await redis.config('SET', 'maxmemory-policy', oldPolicy);
    }
    assert.equal(await redis.exists(keys.task(ref, 'oom-1'), keys.job(ref, 'oom-1')), 0);
    const status = await client.status('oom-1');
    assert.equal(status.state, 'PENDING');
    assert.equal(status.name, undefined);
  });
});
