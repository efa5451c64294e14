import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { WorkQueue } from '../src/work-queue/work-queue.js';
import { retryDelay } from '../src/work-queue/retry-delay.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Resolves when `check` holds, polling; fails after a generous timeout. */
async function until(check: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

describe('retryDelay', () => {
  it('doubles per failure from the base and stops at the cap', () => {
    assert.deepEqual([1, 2, 3, 4, 10, 100].map((n) => retryDelay(n, 100, 5000)), [100, 200, 400, 800, 5000, 5000]);
    assert.equal(retryDelay(0, 100, 5000), 0);
  });
});

describe('WorkQueue', () => {
  it('runs a key added several times while waiting only once', async () => {
    const runs: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const q = new WorkQueue(async (key) => {
      runs.push(key);
      if (key === 'blocker') await gate;
    }, { concurrency: 1 });
    q.add('blocker');
    q.add('a');
    q.add('a');
    q.add('a');
    assert.equal(q.length, 1);
    release();
    await q.idle();
    assert.deepEqual(runs, ['blocker', 'a']);
  });

  it('puts keys added first ahead of waiting ones', async () => {
    const runs: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const q = new WorkQueue(async (key) => {
      runs.push(key);
      if (key === 'blocker') await gate;
    }, { concurrency: 1 });
    q.add('blocker');
    q.add('old-1');
    q.add('old-2');
    q.add('new', true);
    q.add('old-2', true);
    release();
    await q.idle();
    assert.deepEqual(runs, ['blocker', 'old-2', 'new', 'old-1']);
  });

  it('never runs the same key twice at once and re-runs a key changed during its reconcile', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    let runs = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const q = new WorkQueue(async () => {
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      runs += 1;
      if (runs === 1) await gate;
      inFlight -= 1;
    }, { concurrency: 4 });
    q.add('ns/pool');
    await until(() => runs === 1, 'first run');
    q.add('ns/pool');
    q.add('ns/pool');
    assert.equal(runs, 1);
    release();
    await until(() => runs === 2, 'second run');
    await q.idle();
    assert.equal(maxInFlight, 1);
    assert.equal(runs, 2);
  });

  it('runs different keys in parallel up to the concurrency', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const q = new WorkQueue(async () => {
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await sleep(20);
      inFlight -= 1;
    }, { concurrency: 3 });
    for (let i = 0; i < 10; i++) q.add(`k${i}`);
    await q.idle();
    assert.equal(maxInFlight, 3);
  });

  it('retries a failing key with growing delays and resets after a success', async () => {
    const times: number[] = [];
    const errors: number[] = [];
    const q = new WorkQueue(async () => {
      times.push(Date.now());
      if (times.length <= 3) throw new Error('redis down');
    }, { baseRetryDelayMs: 20, maxRetryDelayMs: 1000 });
    q.onError((_key, _error, retryIn) => errors.push(retryIn));
    q.add('ns/q');
    await until(() => times.length === 4, 'fourth attempt');
    await q.idle();
    assert.deepEqual(errors, [20, 40, 80]);
    assert.equal(q.failures('ns/q'), 0);
    for (let i = 1; i < times.length; i++) {
      assert.ok((times[i] as number) - (times[i - 1] as number) >= (errors[i - 1] as number) - 2, `attempt ${i} waited its backoff`);
    }
  });

  it('requeues after the delay a reconcile asks for', async () => {
    let runs = 0;
    const q = new WorkQueue(async () => {
      runs += 1;
      return runs < 3 ? { requeueAfterMs: 10 } : {};
    });
    q.add('ns/s');
    await until(() => runs === 3, 'three timed runs');
    await sleep(50);
    assert.equal(runs, 3);
  });

  it('keeps the earliest of two pending delays of a key', async () => {
    const runs: number[] = [];
    const q = new WorkQueue(async () => {
      runs.push(Date.now());
    });
    const start = Date.now();
    q.addAfter('k', 5_000);
    q.addAfter('k', 20);
    await until(() => runs.length === 1, 'delayed run');
    assert.ok((runs[0] as number) - start < 4_000);
    q.forget('k');
  });

  it('stops handing out keys after shutdown and waits for running ones', async () => {
    let finished = 0;
    const q = new WorkQueue(async () => {
      await sleep(30);
      finished += 1;
    }, { concurrency: 1 });
    q.add('a');
    q.add('b');
    q.addAfter('c', 10);
    await sleep(5);
    await q.shutdown();
    assert.equal(finished, 1);
    q.add('d');
    await sleep(50);
    assert.equal(finished, 1);
  });
});
