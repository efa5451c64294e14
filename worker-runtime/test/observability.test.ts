import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { TestWorld, waitFor } from './helpers.js';

describe('observability (/metrics, /healthz, /readyz, JSON logs, worker registry)', () => {
  let world: TestWorld;
  beforeEach(() => {
    world = new TestWorld();
  });
  afterEach(() => world.cleanup());

  it('serves Prometheus metrics by queue, task and state, plus health and readiness', async () => {
    const worker = await world.worker({ httpPort: 0, httpHost: '127.0.0.1' });
    const base = `http://127.0.0.1:${worker.httpPort}`;
    await (await world.client.enqueue('add', [1, 1])).result({ timeout: 20_000 });
    await (await world.client.enqueue('declined', [1])).result({ timeout: 20_000 }).catch(() => undefined);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    assert.match(metrics, new RegExp(`taskyard_tasks_total\\{queue="${world.queue}",task="add",state="SUCCESS"\\} 1`));
    assert.match(metrics, new RegExp(`taskyard_tasks_total\\{queue="${world.queue}",task="declined",state="FAILURE"\\} 1`));
    assert.match(metrics, new RegExp(`taskyard_task_duration_seconds_count\\{queue="${world.queue}",task="add"\\} 1`));
    assert.match(metrics, /taskyard_tasks_active\{queue="[^"]+"\} 0/);
    assert.equal((await fetch(`${base}/healthz`)).status, 200);
    assert.equal((await fetch(`${base}/readyz`)).status, 200);
    const closing = worker.close();
    assert.equal(worker.isReady(), false, 'not ready while draining');
    await closing;
  });

  it('writes JSON log lines with level, msg and ids', async () => {
    await world.worker();
    const handle = await world.client.enqueue('declined', [3]);
    await handle.result({ timeout: 20_000 }).catch(() => undefined);
    const lines = world.logs.map((l) => JSON.parse(l) as Record<string, unknown>);
    const failed = lines.find((l) => l.msg === 'task failed');
    assert.ok(failed, 'a "task failed" line');
    assert.equal(failed.level, 'error');
    assert.equal(failed.taskId, handle.id);
    assert.equal(failed.task, 'declined');
    assert.equal(failed.queue, world.queue);
    assert.equal(typeof failed.worker, 'string');
  });

  it('registers the worker with heartbeats and active task ids, and leaves the registry on close', async () => {
    const worker = await world.worker({ heartbeatMs: 200, pool: 'p1' });
    const redis = await world.redis();
    const info = await waitFor('worker entry', async () => redis.get(world.keys.worker(world.namespace, worker.id)));
    const parsed = JSON.parse(info) as { queues: string[]; concurrency: number; pool: string };
    assert.deepEqual(parsed.queues, [world.queue]);
    assert.equal(parsed.pool, 'p1');
    assert.ok((await redis.zscore(world.keys.workers(world.namespace), worker.id)) !== null);
    const handle = await world.client.enqueue('sleep', [1500]);
    await waitFor('active task in the registry', async () => {
      const entry = JSON.parse((await redis.get(world.keys.worker(world.namespace, worker.id))) ?? '{}') as { active?: string[] };
      return entry.active?.includes(handle.id);
    });
    await worker.close();
    assert.equal(await redis.get(world.keys.worker(world.namespace, worker.id)), null);
    assert.equal(await redis.zscore(world.keys.workers(world.namespace), worker.id), null);
    redis.disconnect();
  });
});
