import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { TaskRevokedError } from '@taskyard/client';
import { TestWorld, waitFor } from './helpers.js';

describe('expires and revoke', () => {
  let world: TestWorld;
  beforeEach(() => {
    world = new TestWorld();
  });
  afterEach(() => world.cleanup());

  it('never runs an expired task and reports it REVOKED (reason expired)', async () => {
    const journal = join(world.dir, 'expired.log');
    const handle = await world.client.enqueue('journal', [journal, 0], { expires: 200 });
    await new Promise((r) => setTimeout(r, 400));
    await world.worker();
    const err = await handle.result({ timeout: 20_000 }).catch((e: unknown) => e);
    assert.ok(err instanceof TaskRevokedError);
    const status = await handle.status();
    assert.equal(status.state, 'REVOKED');
    assert.equal(status.revokedReason, 'expired');
    assert.equal(existsSync(journal), false, 'the expired task must not have run');
  });

  it('runs a task whose expiry is still ahead', async () => {
    await world.worker();
    const handle = await world.client.enqueue('add', [1, 1], { expires: new Date(Date.now() + 60_000) });
    assert.equal(await handle.result({ timeout: 20_000 }), 2);
  });

  it('revoke before start: the task never runs, is REVOKED, and the revoke is stored in Redis', async () => {
    const journal = join(world.dir, 'revoked.log');
    const handle = await world.client.enqueue('journal', [journal, 0], { countdown: 300 });
    await handle.revoke();
    await world.worker();
    await new Promise((r) => setTimeout(r, 800));
    assert.equal((await handle.status()).state, 'REVOKED');
    assert.equal(existsSync(journal), false);
    const redis = await world.redis();
    assert.notEqual(await redis.zscore(world.keys.revoked(world.namespace), handle.id), null);
    redis.disconnect();
  });

  it('a worker started after the revoke discards a revoked task it picks up (persistent revoke)', async () => {
    const journal = join(world.dir, 'persist.log');
    // enqueue with an id, revoke it, then put it back the way a redelivery would (the job exists again)
    const first = await world.client.enqueue('journal', [journal, 0], { taskId: 'persist-1' });
    await first.revoke();
    await world.client.queue(world.queue).add('journal', { v: 1, name: 'journal', args: [journal, 0], kwargs: {}, enqueuedAt: Date.now() }, { jobId: 'persist-1' });
    await world.worker();
    await waitFor('revoked task settled', async () => (await world.client.queue(world.queue).getJobState('persist-1')) === 'failed');
    assert.equal((await world.client.status('persist-1')).state, 'REVOKED');
    assert.equal(existsSync(journal), false);
  });

  it('revoke with terminate stops a task running in another worker process', async () => {
    const journal = join(world.dir, 'terminate.log');
    const proc = await world.workerProcess();
    const handle = await world.client.enqueue('journalSpin', [journal]);
    await waitFor('task started in the other process', () => existsSync(journal) && readFileSync(journal, 'utf8').includes('start'));
    await handle.revoke({ terminate: true });
    const err = await handle.result({ timeout: 20_000 }).catch((e: unknown) => e);
    assert.ok(err instanceof TaskRevokedError);
    assert.equal((await handle.status()).state, 'REVOKED');
    await proc.waitForLog((l) => l.msg === 'task terminated by revoke' && l.taskId === handle.id);
    // the other process is still alive and runs the next task
    const next = await world.client.enqueue('add', [5, 5]);
    assert.equal(await next.result({ timeout: 20_000 }), 10);
  });

  it('revoke without terminate lets a running task finish (Celery semantics)', async () => {
    const journal = join(world.dir, 'finish.log');
    await world.worker();
    const handle = await world.client.enqueue('journal', [journal, 600]);
    await waitFor('task started', () => existsSync(journal));
    await handle.revoke();
    assert.equal(await handle.result({ timeout: 20_000 }), 'journaled');
    assert.equal((await handle.status()).state, 'SUCCESS');
  });
});
