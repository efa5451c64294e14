import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import {
  claimTaskMarker,
  connectRedis,
  finalizeTaskMarker,
  findTaskQueue,
  markTaskRevoked,
  readTaskMarker,
  releaseTaskMarker,
  taskyardKeys,
} from '../src/wire/index.js';

const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

describe('wire/task-marker against a real Redis', () => {
  const conns = [connectRedis(url, { role: 'client' }), connectRedis(url, { role: 'client' })];
  const keys = taskyardKeys(`t${randomUUID().slice(0, 8)}`);
  const ref = { namespace: 'team-a', name: `q${randomUUID().slice(0, 6)}` };
  before(async () => {
    await Promise.all(conns.map((c) => (c.status === 'ready' ? undefined : new Promise((r) => c.once('ready', r)))));
  });
  after(async () => {
    const found = await conns[0]!.keys(`${keys.prefix}:*`);
    if (found.length) for (const k of found) await conns[0]!.del(k);
    for (const c of conns) c.disconnect();
  });

  it('lets exactly one of many racing claims of one id win', async () => {
    const id = `race-${randomUUID()}`;
    const wins = await Promise.all(Array.from({ length: 100 }, (_, i) =>
      claimTaskMarker(conns[i % 2]!, keys, ref, id, { name: 'job', enqueuedAt: Date.now(), token: `t${i}` })));
    assert.equal(wins.filter(Boolean).length, 1);
  });

  it('refuses a claim when BullMQ already holds the job even without a marker', async () => {
    const id = `job-${randomUUID()}`;
    await conns[0]!.hset(keys.job(ref, id), 'name', 'x');
    assert.equal(await claimTaskMarker(conns[0]!, keys, ref, id, { name: 'job', enqueuedAt: 1, token: 'a' }), false);
  });

  it('finalizes only its own claim, and a released claim leaves no marker', async () => {
    const id = `fin-${randomUUID()}`;
    assert.equal(await claimTaskMarker(conns[0]!, keys, ref, id, { name: 'job', enqueuedAt: 5, token: 'mine', ttlMs: 10_000 }), true);
    assert.ok((await conns[0]!.pttl(keys.task(ref, id))) <= 10_000);
    assert.equal(await finalizeTaskMarker(conns[0]!, keys, ref, id, 'other', 99_999_999), false);
    assert.equal(await finalizeTaskMarker(conns[0]!, keys, ref, id, 'mine', 99_999_999), true);
    assert.ok((await conns[0]!.pttl(keys.task(ref, id))) > 10_000);
    assert.deepEqual(await readTaskMarker(conns[0]!, keys, ref, id), { name: 'job', enqueuedAt: 5 });
    assert.equal(await releaseTaskMarker(conns[0]!, keys, ref, id, 'mine'), false, 'a final marker is not released');

    const gone = `rel-${randomUUID()}`;
    await claimTaskMarker(conns[0]!, keys, ref, gone, { name: 'job', enqueuedAt: 5, token: 'mine' });
    assert.equal(await releaseTaskMarker(conns[0]!, keys, ref, gone, 'mine'), true);
    assert.equal(await readTaskMarker(conns[0]!, keys, ref, gone), undefined);
  });

  it('records a revoke as a state override', async () => {
    const id = `rev-${randomUUID()}`;
    await markTaskRevoked(conns[0]!, keys, ref, id, { reason: 'expired', at: 7, ttlMs: 60_000 });
    assert.deepEqual(await readTaskMarker(conns[0]!, keys, ref, id), { state: 'REVOKED', reason: 'expired', revokedAt: 7 });
  });

  it("finds a task's queue: first the given queues, then the namespace's set; writes nothing", async () => {
    const id = `find-${randomUUID()}`;
    const other = { namespace: 'team-a', name: 'other' };
    await conns[0]!.sadd(keys.queues('team-a'), 'zzz', other.name);
    await claimTaskMarker(conns[0]!, keys, other, id, { name: 'job', enqueuedAt: 1, token: 'x' });
    const before = (await conns[0]!.keys(`${keys.prefix}:*`)).sort();
    assert.deepEqual(await findTaskQueue(conns[0]!, keys, 'team-a', id, ['default']), other);
    assert.equal(await findTaskQueue(conns[0]!, keys, 'team-b', id, ['default', 'other']), undefined);
    assert.deepEqual((await conns[0]!.keys(`${keys.prefix}:*`)).sort(), before);
  });
});
