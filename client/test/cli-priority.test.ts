import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import type { TaskStatus } from '../src/task-status.js';
import { REDIS_URL, deleteKeys, eventually, rand, startDev, taskyardJson, type DevProcess } from './cli-test-kit.js';

const ORDER_BUNDLE = fileURLToPath(new URL('../../test/fixtures/order-bundle', import.meta.url));
const HOLD_MS = 400;

describe('priority: 1 runs first, 10 last, no priority = 5, FIFO within a priority (two worker processes)', () => {
  const prefix = rand('typrio');
  const queue = rand('q');
  const env = { TASKYARD_PREFIX: prefix };
  const devs: DevProcess[] = [];
  after(async () => {
    await Promise.all(devs.map((d) => d.stop()));
    await deleteKeys(REDIS_URL, prefix);
  });

  it('starts tasks queued before any worker in priority order, enqueue order within one priority', { timeout: 180_000 }, async () => {
    // Enqueued by the CLI (one process per task) before any worker runs, interleaving priorities.
    const plan: Array<{ label: string; priority: number | undefined }> = [];
    for (let round = 0; round < 3; round++) {
      for (const priority of [undefined, 10, 5, 1]) plan.push({ label: `p${priority ?? 'none'}-${round}`, priority });
    }
    const ids = new Map<string, string>();
    for (const { label, priority } of plan) {
      const flags = priority === undefined ? [] : ['--priority', String(priority)];
      const handle = await taskyardJson<{ id: string }>(['enqueue', 'hold', '--queue', queue, '--args', JSON.stringify([label, HOLD_MS]), '--no-check', ...flags], env);
      ids.set(label, handle.id);
    }
    // Two workers, concurrency 1 each, in two processes.
    for (let i = 0; i < 2; i++) {
      devs.push(await startDev(ORDER_BUNDLE, ['--queues', queue, '--redis', REDIS_URL, '--prefix', prefix, '--concurrency', '1']));
    }
    const statuses = await eventually('every task to finish', async () => {
      const all = await Promise.all(plan.map(({ label }) => taskyardJson<TaskStatus>(['status', ids.get(label) as string, '--queue', queue], env)));
      return all.every((s) => s.state === 'SUCCESS') ? all : undefined;
    }, 120_000);

    // Expected: priority 1, then 5 and no priority (= 5) together in enqueue order, then 10.
    const rank = (p: number | undefined): number => p ?? 5;
    const expected = plan.map((p, i) => ({ ...p, i })).sort((a, b) => rank(a.priority) - rank(b.priority) || a.i - b.i).map((p) => p.label);
    const startedAt = new Map(plan.map(({ label }, i) => [label, (statuses[i] as TaskStatus).startedAt as number]));
    const actual = [...startedAt].sort((a, b) => a[1] - b[1]).map(([label]) => label);
    // Two workers take tasks in rounds; the two takes of one round may be stamped a few ms apart in
    // either order (each worker stamps its own clock before Redis serialises the takes). A task that
    // should start earlier must never start a round (HOLD_MS) later than one that should start after it.
    const late: string[] = [];
    for (let a = 0; a < expected.length; a++) {
      for (let b = a + 1; b < expected.length; b++) {
        const first = startedAt.get(expected[a] as string) as number;
        const second = startedAt.get(expected[b] as string) as number;
        if (first > second + HOLD_MS / 4) late.push(`${expected[a]} started ${first - second} ms after ${expected[b]}`);
      }
    }
    assert.deepEqual(late, [], `expected ${expected.join(' ')}\nactual   ${actual.join(' ')}`);
  });
});
