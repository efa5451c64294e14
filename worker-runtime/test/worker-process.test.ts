import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { TestWorld, waitFor } from './helpers.js';

const FAST_RECOVERY = { TASKYARD_LOCK_DURATION_MS: '2000', TASKYARD_STALLED_INTERVAL_MS: '1000' };

describe('worker processes (acks_late, reject_on_worker_lost, SIGTERM drain)', () => {
  let world: TestWorld;
  beforeEach(() => {
    world = new TestWorld();
  });
  afterEach(() => world.cleanup());

  it('re-runs a task whose worker process was SIGKILLed mid-task, and it completes once more', async () => {
    const journal = join(world.dir, 'journal.log');
    const doomed = await world.workerProcess(FAST_RECOVERY);
    const handle = await world.client.enqueue('journal', [journal, 1500]);
    await waitFor('task started in the first worker', () => existsSync(journal) && readFileSync(journal, 'utf8').includes('start'));
    doomed.child.kill('SIGKILL');
    await doomed.exited;
    assert.equal((await handle.status()).state, 'STARTED', 'the lost task is still held by its (dead) lock');
    await world.workerProcess(FAST_RECOVERY);
    assert.equal(await handle.result({ timeout: 30_000 }), 'journaled');
    const lines = readFileSync(journal, 'utf8').trim().split('\n');
    assert.deepEqual(
      lines.map((l) => l.split(' ').slice(0, 2).join(' ')),
      [`${handle.id} start`, `${handle.id} start`, `${handle.id} end`],
      'started twice (the first run was killed), finished once',
    );
    const counts = await world.client.queueCounts(world.queue);
    assert.equal(counts.completed, 1);
    assert.equal(counts.failed + counts.waiting + counts.active + counts.delayed, 0, 'nothing lost, nothing left');
  });

  it('a task given up after its worker was lost three times is WorkerLost in status and in the dead letter alike', { timeout: 120_000 }, async () => {
    const journal = join(world.dir, 'lost.log');
    const handle = await world.client.enqueue('journal', [journal, 60_000]);
    // maxStalledCount is 2: the third loss gives the task up
    for (let run = 1; run <= 3; run++) {
      const doomed = await world.workerProcess(FAST_RECOVERY);
      await waitFor(`run ${run} started`, () => existsSync(journal) && readFileSync(journal, 'utf8').trim().split('\n').length === run, 30_000);
      doomed.child.kill('SIGKILL');
      await doomed.exited;
    }
    await world.workerProcess(FAST_RECOVERY);
    const err = await handle.result({ timeout: 30_000 }).catch((e: unknown) => e);
    assert.equal((err as Error).name, 'WorkerLost');
    const status = await handle.status();
    assert.equal(status.state, 'FAILURE');
    assert.equal(status.error?.name, 'WorkerLost');
    assert.match(status.error?.message ?? '', /worker was lost/);
    const dead = await waitFor('dead letter', async () => (await world.client.deadLetters.list(world.queue)).find((d) => d.taskId === handle.id));
    assert.equal(dead.error.name, status.error?.name);
  });

  it('SIGTERM drains: no new tasks are taken, running ones finish, then the process exits 0', async () => {
    const journal = join(world.dir, 'drain.log');
    const proc = await world.workerProcess({}, ['--concurrency', '2']);
    const running = await world.client.enqueue('journal', [journal, 1500]);
    await waitFor('task started', () => existsSync(journal));
    proc.child.kill('SIGTERM');
    await proc.waitForLog((l) => typeof l.msg === 'string' && l.msg.startsWith('draining'));
    const late = await world.client.enqueue('add', [1, 1]);
    const exit = await proc.exited;
    assert.equal(exit.code, 0);
    assert.equal((await running.status()).state, 'SUCCESS', 'the running task finished before exit');
    assert.equal(readFileSync(journal, 'utf8').trim().split('\n').length, 2);
    assert.equal((await late.status()).state, 'PENDING', 'no new task was taken while draining');
    // it is still there for the next worker
    await world.workerProcess();
    assert.equal(await late.result({ timeout: 20_000 }), 2);
  });
});
