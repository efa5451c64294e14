import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { TaskFailedError } from '@taskyard/client';
import { TestWorld } from './helpers.js';

describe('retries (autoretry_for, self.retry, backoff)', () => {
  let world: TestWorld;
  beforeEach(() => {
    world = new TestWorld();
  });
  afterEach(() => world.cleanup());

  it('retries an error named in autoretryFor with backoff until it succeeds', async () => {
    await world.worker();
    const handle = await world.client.enqueue('flaky', [2], { attempts: 4 });
    assert.deepEqual(await handle.result({ timeout: 20_000 }), { attempt: 3 });
    const status = await handle.status();
    assert.equal(status.state, 'SUCCESS');
    assert.equal(status.attemptsMade, 3, 'two failed attempts, then the successful third');
  });

  it('fails once attempts are used up, with the last error', async () => {
    await world.worker();
    const handle = await world.client.enqueue('flaky', [5], { attempts: 2 });
    const err = await handle.result({ timeout: 20_000 }).catch((e: unknown) => e);
    assert.ok(err instanceof TaskFailedError);
    assert.equal(err.name, 'TransientError');
    assert.equal(err.message, 'attempt 2 failed');
  });

  it('does not retry an error that is not in autoretryFor', async () => {
    await world.worker();
    const handle = await world.client.enqueue('declined', [1], { attempts: 5 });
    const err = await handle.result({ timeout: 20_000 }).catch((e: unknown) => e);
    assert.ok(err instanceof TaskFailedError);
    assert.equal((await handle.status()).attemptsMade, 1);
  });

  it('retries every error when autoretryFor is "*"', async () => {
    await world.worker();
    const handle = await world.client.enqueue('declined', [1], { attempts: 3, autoretryFor: ['*'], backoff: { type: 'fixed', delay: 10 } });
    await handle.result({ timeout: 20_000 }).catch(() => undefined);
    assert.equal((await handle.status()).attemptsMade, 3);
  });

  it('ctx.retry() schedules another attempt, shown as RETRY while it waits', async () => {
    await world.worker();
    const handle = await world.client.enqueue('retryTwice', [], { attempts: 5 });
    assert.deepEqual(await handle.result({ timeout: 20_000 }), { attempt: 3 });
    const slow = await world.client.enqueue('flaky', [1], { attempts: 2, backoff: { type: 'fixed', delay: 3000, jitter: false } });
    const deadline = Date.now() + 15_000;
    let state = '';
    while (state !== 'RETRY' && Date.now() < deadline) {
      state = (await slow.status()).state;
      await new Promise((r) => setTimeout(r, 20));
    }
    assert.equal(state, 'RETRY');
  });

  it('ctx.retry() on the last attempt fails with MaxRetriesExceeded', async () => {
    await world.worker();
    const handle = await world.client.enqueue('retryTwice', [], { attempts: 2 });
    const err = await handle.result({ timeout: 20_000 }).catch((e: unknown) => e);
    assert.ok(err instanceof TaskFailedError);
    assert.equal(err.name, 'MaxRetriesExceeded');
  });
});
