import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { BundleError } from '../src/bundle-error.js';
import { collectBundleTasks } from '../src/collect-bundle-tasks.js';
import { resolveBundleEntry } from '../src/resolve-bundle-entry.js';
import { FIXTURES, TASKS_BUNDLE, TestWorld } from './helpers.js';

describe('task bundles', () => {
  let world: TestWorld;
  let server: Server | undefined;
  beforeEach(() => {
    world = new TestWorld();
  });
  afterEach(async () => {
    if (server) await new Promise((r) => server?.close(r));
    server = undefined;
    await world.cleanup();
  });

  async function rejection(bundlePath: string): Promise<BundleError> {
    const err = await world.worker({ bundlePath }).then(
      () => assert.fail('the worker started with a malformed bundle'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof BundleError, `expected a BundleError, got ${String(err)}`);
    return err;
  }

  it('loads a ConfigMap-shaped directory (..data symlinks, one key file)', async () => {
    await world.worker({ bundlePath: join(FIXTURES, 'configmap') });
    assert.equal(await (await world.client.enqueue('add', [1, 2])).result({ timeout: 20_000 }), 3);
  });

  it('malformed bundles give a clear error naming the file and what is wrong', async () => {
    const noTasks = await rejection(join(FIXTURES, 'bad', 'no-tasks.mjs'));
    assert.match(noTasks.message, /bad\/no-tasks\.mjs: exports no tasks/);
    const syntax = await rejection(join(FIXTURES, 'bad', 'syntax-error.mjs'));
    assert.match(syntax.message, /bad\/syntax-error\.mjs: failed to load: SyntaxError/);
    const handler = await rejection(join(FIXTURES, 'bad', 'handler-not-function.mjs'));
    assert.match(handler.message, /handler-not-function\.mjs: export default\[0\] \(task "oops"\): "handler" must be a function/);
    const dup = await rejection(join(FIXTURES, 'bad', 'duplicate.mjs'));
    assert.match(dup.message, /two tasks are named "same"/);
    const missing = await rejection(join(FIXTURES, 'bad', 'missing.mjs'));
    assert.match(missing.message, /missing\.mjs: cannot be read \(ENOENT\)/);
  });

  it('a malformed bundle loses no queued task: it is still there for a good worker', async () => {
    const handle = await world.client.enqueue('add', [4, 4]);
    await rejection(join(FIXTURES, 'bad', 'no-tasks.mjs'));
    assert.equal((await handle.status()).state, 'PENDING');
    await world.worker();
    assert.equal(await handle.result({ timeout: 20_000 }), 8);
  });

  it('a directory picks package.json "main", then index.mjs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'taskyard-bundle-'));
    mkdirSync(join(dir, 'lib'));
    writeFileSync(join(dir, 'lib', 'entry.mjs'), 'export default [{ name: "x", handler: () => 1 }];');
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ main: 'lib/entry.mjs' }));
    assert.equal(await resolveBundleEntry(dir), join(dir, 'lib', 'entry.mjs'));
    const dir2 = mkdtempSync(join(tmpdir(), 'taskyard-bundle-'));
    writeFileSync(join(dir2, 'index.mjs'), '');
    writeFileSync(join(dir2, 'other.mjs'), '');
    assert.equal(await resolveBundleEntry(dir2), join(dir2, 'index.mjs'));
    const dir3 = mkdtempSync(join(tmpdir(), 'taskyard-bundle-'));
    writeFileSync(join(dir3, 'a.mjs'), '');
    writeFileSync(join(dir3, 'b.mjs'), '');
    await assert.rejects(resolveBundleEntry(dir3), /several modules \(a\.mjs, b\.mjs\)/);
  });

  it('accepts named, array, default-object and {tasks: [...]} export shapes', () => {
    const t = (name: string) => ({ name, handler: () => name });
    const tasks = collectBundleTasks('x.mjs', {
      one: t('one'),
      list: [t('two')],
      default: { three: t('three'), tasks: [t('four')] },
      helper: () => 1,
      CONSTANT: 3,
    });
    assert.deepEqual([...tasks.keys()].sort(), ['four', 'one', 'three', 'two']);
  });

  it('downloads a bundle URL, checks its sha256, then runs it', async () => {
    const body = readFileSync(TASKS_BUNDLE);
    const url = await serve(body);
    const sha = createHash('sha256').update(body).digest('hex');
    await world.worker({ bundlePath: undefined, bundleUrl: url, bundleSha256: sha });
    assert.equal(await (await world.client.enqueue('add', [2, 2])).result({ timeout: 20_000 }), 4);
  });

  it('never runs a bundle URL whose sha256 does not match', async () => {
    const marker = join(mkdtempSync(join(tmpdir(), 'taskyard-sha-')), 'ran');
    const evil = Buffer.from(`import { writeFileSync } from 'node:fs'; writeFileSync(${JSON.stringify(marker)}, 'ran'); export default [{ name: 'add', handler: () => 0 }];`);
    const url = await serve(evil);
    const err = await world.worker({ bundlePath: undefined, bundleUrl: url, bundleSha256: 'a'.repeat(64) }).then(
      () => assert.fail('started with a bundle whose digest does not match'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof BundleError);
    assert.match(err.message, /sha256 mismatch: expected a{64}, downloaded file has [0-9a-f]{64}; refusing to run it/);
    assert.throws(() => readFileSync(marker), /ENOENT/, 'the bundle code must not have run');
  });

  async function serve(body: Buffer): Promise<string> {
    server = createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'text/javascript' });
      res.end(body);
    });
    await new Promise<void>((r) => server?.listen(0, '127.0.0.1', () => r()));
    const address = server.address();
    assert.ok(address && typeof address === 'object');
    return `http://127.0.0.1:${address.port}/bundle.mjs`;
  }
});
