import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { collectBundleTasks } from '../src/collect-bundle-tasks.js';
import { TASKS_BUNDLE, TestWorld, waitFor } from './helpers.js';

/** Issue 9, defects 4 and 8 (worker parts): what a worker process shows the other processes and the operator. */
describe('worker process: registry, signals, bundle errors, HTTP port', () => {
  let world: TestWorld;
  beforeEach(() => {
    world = new TestWorld();
  });
  afterEach(() => world.cleanup());

  it('publishes the task names its bundle defines in the registry (read as the CLI reads it)', async () => {
    (globalThis as Record<string, unknown>).defineTask ??= (d: unknown) => d;
    const bundle = collectBundleTasks(TASKS_BUNDLE, (await import(pathToFileURL(TASKS_BUNDLE).href)) as Record<string, unknown>);
    const proc = await world.workerProcess({ TASKYARD_POOL: 'p1' });
    const [entry, ...others] = await waitFor('a live worker', async () => {
      const live = await world.liveWorkers();
      return live.length > 0 ? live : undefined;
    });
    assert.equal(others.length, 0);
    assert.deepEqual([...(entry?.tasks ?? [])].sort(), [...bundle.keys()].sort());
    assert.ok((entry?.tasks.length ?? 0) > 5);
    assert.deepEqual(entry?.queues, [world.queue]);
    assert.equal(entry?.namespace, world.namespace);
    assert.equal(entry?.pool, 'p1');
    proc.child.kill('SIGTERM');
    await proc.exited;
    assert.deepEqual(await world.liveWorkers(), [], 'a clean exit leaves the registry');
  });

  it('a second SIGTERM during a drain exits at once with a warn line naming the abandoned tasks', async () => {
    const proc = await world.workerProcess();
    const long = await world.client.enqueue('sleep', [30_000]);
    await waitFor('task started', async () => (await long.status()).state === 'STARTED');
    proc.child.kill('SIGTERM');
    await proc.waitForLog((l) => typeof l.msg === 'string' && l.msg.startsWith('draining'));
    proc.child.kill('SIGTERM');
    const exit = await proc.exited;
    assert.equal(exit.code, 143);
    const line = proc.lines.find((l) => typeof l.msg === 'string' && l.msg.startsWith('second signal during drain'));
    assert.ok(line, `a log line before exiting; log:\n${proc.lines.map((l) => JSON.stringify(l)).join('\n')}`);
    assert.equal(line.level, 'warn');
    assert.deepEqual(line.abandoned, [long.id]);
  });

  it('a bundle with a syntax error fails to start with the file and the line', async () => {
    const file = join(world.dir, 'broken.mjs');
    writeFileSync(file, "export const ok = { name: 'ok', handler: () => 1 };\n\nexport const broken = { name: 'broken', handler: () => { return 1 + ; } };\n");
    const proc = world.spawnWorker({ TASKYARD_BUNDLE_PATH: file });
    const exit = await proc.exited;
    assert.equal(exit.code, 1);
    const text = proc.lines.map((l) => JSON.stringify(l)).join('\n');
    assert.match(text, /broken\.mjs:3/, 'names the file and line 3');
    assert.match(text, /SyntaxError/);
  });

  it('a second worker on the same HTTP port fails before consuming, naming --http-port and TASKYARD_HTTP_PORT', async () => {
    const busy: Server = createServer();
    await new Promise<void>((r) => busy.listen(0, '0.0.0.0', () => r()));
    const port = (busy.address() as { port: number }).port;
    try {
      const waiting = await world.client.enqueue('add', [2, 2]);
      const proc = world.spawnWorker({ TASKYARD_HTTP_PORT: String(port) });
      const exit = await proc.exited;
      assert.equal(exit.code, 1);
      const text = proc.lines.map((l) => JSON.stringify(l)).join('\n');
      assert.match(text, /--http-port/);
      assert.match(text, /TASKYARD_HTTP_PORT/);
      assert.match(text, new RegExp(`port ${port}`));
      assert.ok(!proc.lines.some((l) => l.msg === 'task started'), 'no task was taken');
      assert.equal((await waiting.status()).state, 'PENDING');
      assert.deepEqual(await world.liveWorkers(), [], 'never registered');
    } finally {
      busy.close();
    }
  });
});
