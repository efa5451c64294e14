import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { TaskFailedError } from '@taskyard/client';
import { TestWorld } from './helpers.js';

describe('time limits (task_soft_time_limit / task_time_limit)', () => {
  let world: TestWorld;
  beforeEach(() => {
    world = new TestWorld();
  });
  afterEach(() => world.cleanup());

  it('hard limit kills the sandbox running while(true){} and the same worker runs the next task', async () => {
    const worker = await world.worker({ concurrency: 1 });
    const spin = await world.client.enqueue('spin', [], { timeLimit: { hard: 500 } });
    const err = await spin.result({ timeout: 20_000 }).catch((e: unknown) => e);
    assert.ok(err instanceof TaskFailedError);
    assert.equal(err.name, 'TimeLimitExceeded');
    assert.match(err.message, /hard time limit \(500 ms\) exceeded/);
    const next = await world.client.enqueue('add', [20, 22]);
    assert.equal(await next.result({ timeout: 20_000 }), 42);
    assert.equal(worker.isReady(), true, 'the worker is still up and taking tasks');
  });

  it('hard limit retries by policy when TimeLimitExceeded is in autoretryFor', async () => {
    await world.worker({ concurrency: 1 });
    const spin = await world.client.enqueue('spin', [], {
      timeLimit: { hard: 300 },
      attempts: 2,
      autoretryFor: ['TimeLimitExceeded'],
      backoff: { type: 'fixed', delay: 10 },
    });
    await spin.result({ timeout: 20_000 }).catch(() => undefined);
    const status = await spin.status();
    assert.equal(status.state, 'FAILURE');
    assert.equal(status.attemptsMade, 2);
  });

  it('soft limit aborts ctx.signal and the task fails with SoftTimeLimitExceeded', async () => {
    await world.worker();
    const handle = await world.client.enqueue('sleep', [60_000], { timeLimit: { soft: 300, hard: 10_000 } });
    const err = await handle.result({ timeout: 20_000 }).catch((e: unknown) => e);
    assert.ok(err instanceof TaskFailedError);
    assert.equal(err.name, 'SoftTimeLimitExceeded');
  });

  it('soft limit without a hard limit still ends a task that ignores ctx.signal', async () => {
    await world.worker({ softLimitGraceMs: 200 });
    const handle = await world.client.enqueue('sleepIgnoringSignal', [60_000], { timeLimit: { soft: 300 } });
    const err = await handle.result({ timeout: 20_000 }).catch((e: unknown) => e);
    assert.ok(err instanceof TaskFailedError);
    assert.equal(err.name, 'SoftTimeLimitExceeded');
    const next = await world.client.enqueue('add', [1, 2]);
    assert.equal(await next.result({ timeout: 20_000 }), 3);
  });

  it('takes time limits from the bundle task options and the queue policy', async () => {
    await world.setPolicy({ defaults: { timeLimit: { hard: '400ms' } } });
    await world.worker();
    const spin = await world.client.enqueue('spin', []);
    const err = await spin.result({ timeout: 20_000 }).catch((e: unknown) => e);
    assert.ok(err instanceof TaskFailedError);
    assert.equal(err.name, 'TimeLimitExceeded');
  });
});
