import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { TaskFailedError } from '@taskyard/client';
import { TestWorld } from './helpers.js';

describe('sandbox pool (threads reused, short tasks batched)', () => {
  let world: TestWorld;
  beforeEach(() => {
    world = new TestWorld();
  });
  afterEach(() => world.cleanup());

  it('runs many short tasks with the right result each (batched hand-over)', async () => {
    await world.worker({ concurrency: 4 });
    const handles = await world.client.enqueueBulk(Array.from({ length: 400 }, (_, i) => ({ name: 'add', args: [i, 1] })));
    const results = await Promise.all(handles.map((h) => h.result({ timeout: 60_000 })));
    assert.deepEqual(results, Array.from({ length: 400 }, (_, i) => i + 1));
  });

  it('a sandbox that dies takes only its running task with it (WorkerLost); tasks queued behind it run elsewhere', async () => {
    await world.worker({ concurrency: 2 });
    // warm up: maybeExit becomes a known-short task, so it is batched with others
    for (let i = 0; i < 4; i++) await (await world.client.enqueue('maybeExit', [false, i])).result({ timeout: 20_000 });
    const items = [{ name: 'maybeExit', args: [true, -1] }, ...Array.from({ length: 30 }, (_, i) => ({ name: 'maybeExit', args: [false, i] }))];
    const [doomed, ...rest] = await world.client.enqueueBulk(items);
    assert.ok(doomed);
    const err = await doomed.result({ timeout: 20_000 }).catch((e: unknown) => e);
    assert.ok(err instanceof TaskFailedError);
    assert.equal(err.name, 'WorkerLost');
    assert.deepEqual(await Promise.all(rest.map((h) => h.result({ timeout: 20_000 }))), Array.from({ length: 30 }, (_, i) => i));
  });
});
