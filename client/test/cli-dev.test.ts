import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { freePort } from '../src/cli/free-port.js';
import { pingRedis } from '../src/cli/ping-redis.js';
import { resolvePackageBin } from '../src/cli/resolve-package-bin.js';
import { TaskyardClient } from '../src/index.js';
import type { TaskStatus } from '../src/task-status.js';
import { EXAMPLE_BUNDLE, REDIS_URL, deleteKeys, eventually, rand, startDev, taskyard, taskyardJson } from './cli-test-kit.js';

describe('taskyard dev', () => {
  const prefix = rand('tydev');
  after(async () => {
    await deleteKeys(REDIS_URL, prefix);
  });

  it('starts a local redis-server when none answers at --redis, runs tasks on it, and stops it on exit', async () => {
    const unusedUrl = `redis://127.0.0.1:${await freePort()}`;
    const dev = await startDev(EXAMPLE_BUNDLE, ['--redis', unusedUrl, '--queues', 'default']);
    try {
      assert.equal(dev.summary.startedRedis, true);
      assert.notEqual(dev.summary.redisUrl, unusedUrl);
      assert.match(dev.output(), /no Redis answered, started a local redis-server/);
      const id = (await taskyard(['enqueue', 'process_payment', '--args', '["p1", 100, "ok"]', '--redis', dev.summary.redisUrl])).stdout.trim();
      const result = await taskyardJson<{ result: { receipt: string } }>(['result', id, '--timeout', '30', '--redis', dev.summary.redisUrl]);
      assert.equal(result.result.receipt, 'rcpt-p1');
    } finally {
      assert.equal(await dev.stop(), 0, dev.output());
    }
    assert.deepEqual(await pingRedis(dev.summary.redisUrl, 1000), { ok: false, reason: 'ECONNREFUSED' }, 'the Redis it started is stopped');
  });

  it('uses the Redis at --redis when it answers, and drains a running task on SIGTERM', async () => {
    const queue = rand('q');
    const dev = await startDev(EXAMPLE_BUNDLE, ['--redis', REDIS_URL, '--prefix', prefix, '--queues', queue]);
    assert.equal(dev.summary.startedRedis, false);
    assert.equal(dev.summary.redisUrl, REDIS_URL);
    const env = { TASKYARD_PREFIX: prefix };
    const id = (await taskyard(['enqueue', 'process_image', '--queue', queue, '--args', '["slow.png", {"width": 1000, "height": 1000, "passes": 40}]'], env)).stdout.trim();
    const client = new TaskyardClient({ redisUrl: REDIS_URL, prefix });
    try {
      await eventually('the task to start', async () => ((await client.status(id)).state === 'STARTED' ? true : undefined));
    } finally {
      await client.close();
    }
    assert.equal(await dev.stop(), 0, dev.output());
    const status = await taskyardJson<TaskStatus>(['status', id], env);
    assert.equal(status.state, 'SUCCESS', 'the running task finished before the worker exited');
    assert.equal((status.result as { passes: number }).passes, 40);
  });

  it('exits non-zero and shows the bundle error when the bundle is malformed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tydev-bundle-'));
    writeFileSync(join(dir, 'index.mjs'), 'export const helper = 42;\n');
    const run = await taskyard(['dev', dir, '--redis', REDIS_URL, '--prefix', prefix, '--no-console', '--queues', rand('q')]);
    assert.equal(run.code, 1);
    assert.match(run.stdout + run.stderr, /exports no tasks/);
    assert.match(run.stderr, /the worker exited on its own \(code 1\); its log above says why/);
  });

  it('names a bundle path that does not exist, and bad flags', async () => {
    const missing = await taskyard(['dev', 'no/such/bundle', '--redis', REDIS_URL]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /bundle no\/such\/bundle does not exist .*pass the folder or \.mjs file holding your tasks/);
    const none = await taskyard(['dev']);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /missing <bundle>/);
    const queues = await taskyard(['dev', EXAMPLE_BUNDLE, '--queues', 'a,b c']);
    assert.equal(queues.code, 2);
    assert.match(queues.stderr, /--queues has an invalid queue name "b c"/);
    const concurrency = await taskyard(['dev', EXAMPLE_BUNDLE, '--concurrency', '0']);
    assert.equal(concurrency.code, 2);
    assert.match(concurrency.stderr, /--concurrency must be an integer from 1 to 10000, got "0"/);
  });
});

describe('console hook: finding an optional package bin at run time', () => {
  const root = mkdtempSync(join(tmpdir(), 'tycli-resolve-'));
  const pkgDir = join(root, 'node_modules', '@taskyard', 'console');
  const from = join(root, 'app', 'dist');
  mkdirSync(from, { recursive: true });

  it('is undefined when the package is not installed (the CLI then says "console not installed")', () => {
    assert.equal(resolvePackageBin('@taskyard/console', 'taskyard-console', from), undefined);
  });

  it('is undefined when the package is installed but not built (bin file missing)', () => {
    mkdirSync(pkgDir, { recursive: true });
    writeFileSync(join(pkgDir, 'package.json'), JSON.stringify({ name: '@taskyard/console', bin: { 'taskyard-console': 'dist/src/bin.js' } }));
    assert.equal(resolvePackageBin('@taskyard/console', 'taskyard-console', from), undefined);
  });

  it('is the bin path once the file is there, found from a nested directory', () => {
    mkdirSync(join(pkgDir, 'dist', 'src'), { recursive: true });
    writeFileSync(join(pkgDir, 'dist', 'src', 'bin.js'), '');
    assert.equal(resolvePackageBin('@taskyard/console', 'taskyard-console', from), join(pkgDir, 'dist', 'src', 'bin.js'));
    assert.equal(resolvePackageBin('@taskyard/console', 'other-bin', from), undefined);
  });
});
