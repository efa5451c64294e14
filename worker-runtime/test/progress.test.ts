import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { TestWorld, waitFor } from './helpers.js';

describe('progress', () => {
  let world: TestWorld;
  beforeEach(() => {
    world = new TestWorld();
  });
  afterEach(() => world.cleanup());

  it('shows the last value a task reported with ctx.progress()', async () => {
    await world.worker();
    const handle = await world.client.enqueue('progress', []);
    const seen = await waitFor('progress reported', async () => handle.progress());
    assert.ok(seen === 50 || JSON.stringify(seen) === JSON.stringify({ done: 3, total: 4 }), `unexpected progress ${JSON.stringify(seen)}`);
    assert.equal(await handle.result({ timeout: 20_000 }), 'ok');
    assert.deepEqual(await world.client.progress(handle.id), { done: 3, total: 4 });
  });
});
