// Every Taskyard process on the real topologies of scripts/with-redis-topologies.sh, each in a process
// of its own as users run them: the worker runtime (`taskyard-worker run`, as a WorkerPool pod), the CLI
// (`taskyard`), the console (`taskyard-console`). One redis-sentinel:// URL (and one redis-cluster://
// URL) for all of them; nothing shares a connection or a module instance with the test.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { clusterUrl, currentSentinelMaster, killNode, restartNode, askNode, sentinelUrl, whenReady } from '@taskyard/api/test-support';
import { bullQueueName, connectRedis, isCluster } from '@taskyard/api/wire';
import type { QueueView } from '../src/schemas/queue-schemas.js';
import type { WorkerView } from '../src/schemas/worker-schemas.js';

const repo = fileURLToPath(new URL('../../../', import.meta.url));
const WORKER = join(repo, 'worker-runtime/dist/src/bin/taskyard-worker.js');
const CLI = join(repo, 'client/dist/src/cli/main.js');
const CONSOLE = join(repo, 'console/dist/src/bin.js');
const BUNDLE = join(repo, 'console/test/fixtures/test-bundle.mjs');
const TOKEN = 'topologies-test-token';
const home = mkdtempSync(join(tmpdir(), 'ty-topo-home-'));
// No cluster for the console's schedules, no user kubeconfig, no Redis URL inherited by accident.
const baseEnv = { ...process.env, HOME: home, KUBECONFIG: '', REDIS_URL: '', TASKYARD_REDIS_URL: '', TASKYARD_LOG_LEVEL: 'info' };

interface Proc {
  child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}
const running: Proc[] = [];
after(async () => {
  for (const p of running) await p.stop();
  rmSync(home, { recursive: true, force: true });
});

/** Starts a long-running process and resolves once a line of its output matches `ready`. */
async function start(args: string[], env: Record<string, string>, ready: RegExp, what: string): Promise<Proc & { match: RegExpMatchArray }> {
  const child = spawn(process.execPath, args, { env: { ...baseEnv, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const proc: Proc = {
    child,
    output: () => out,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
      }),
  };
  running.push(proc);
  const match = await new Promise<RegExpMatchArray>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not start within 60 s:\n${out}`)), 60_000);
    const onData = (chunk: Buffer): void => {
      out += chunk.toString('utf8');
      const m = out.match(ready);
      if (m) {
        clearTimeout(timer);
        resolve(m);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited with ${code} before it was ready:\n${out}`));
    });
  });
  return { ...proc, match };
}

/** A real worker process (`taskyard-worker run`) on `url`, serving `queues` of `namespace`. */
function startWorker(url: string, prefix: string, namespace: string, queues: string[]) {
  return start(
    [WORKER, 'run'],
    {
      TASKYARD_REDIS_URL: url,
      TASKYARD_PREFIX: prefix,
      TASKYARD_NAMESPACE: namespace,
      POD_NAMESPACE: namespace,
      TASKYARD_QUEUES: queues.join(','),
      TASKYARD_CONCURRENCY: '2',
      TASKYARD_BUNDLE_PATH: BUNDLE,
      TASKYARD_HTTP_PORT: '0',
      TASKYARD_POOL: 'topologies',
      POD_NAME: `topologies-${randomBytes(3).toString('hex')}`,
    },
    /"worker started"/,
    'the worker',
  );
}

/** Runs `taskyard ...args --redis url` to completion. */
function cli(url: string, prefix: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args, '--redis', url], { env: { ...baseEnv, TASKYARD_PREFIX: prefix }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
async function cliJson<T>(url: string, prefix: string, args: string[]): Promise<T> {
  const run = await cli(url, prefix, [...args, '--json']);
  assert.equal(run.code, 0, `taskyard ${args.join(' ')} exited ${run.code}\nstdout: ${run.stdout}\nstderr: ${run.stderr}`);
  return JSON.parse(run.stdout) as T;
}

/**
 * Enqueues math.add(a, b) by the CLI on `namespace/queue` and waits (by the CLI) for its result. With
 * `retryForMs`, an enqueue that finds Redis unreachable (the CLI fails fast, e.g. while the sentinels
 * still name a dead master) is run again, as a user would, until it succeeds or the time is up.
 */
async function addThroughCli(url: string, prefix: string, namespace: string, queue: string, a: number, b: number, retryForMs = 0): Promise<unknown> {
  const args = ['enqueue', 'math.add', '--args', JSON.stringify([a, b]), '--queue', queue, '-n', namespace, '--json'];
  const deadline = Date.now() + retryForMs;
  let run = await cli(url, prefix, args);
  while (run.code !== 0 && /cannot reach Redis/.test(run.stderr) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 250));
    run = await cli(url, prefix, args);
  }
  assert.equal(run.code, 0, `taskyard ${args.join(' ')} exited ${run.code}\nstdout: ${run.stdout}\nstderr: ${run.stderr}`);
  const { id } = JSON.parse(run.stdout) as { id: string };
  const result = await cli(url, prefix, ['result', id, '-n', namespace, '--timeout', '30', '--json']);
  assert.equal(result.code, 0, `taskyard result ${id}: exit ${result.code}\n${result.stdout}\n${result.stderr}`);
  const settled = JSON.parse(result.stdout) as { id: string; state: string; result?: unknown };
  assert.deepEqual([settled.id, settled.state], [id, 'SUCCESS']);
  return settled.result;
}

async function api<T>(base: string, path: string): Promise<{ status: number; body: T }> {
  const res = await fetch(base + path, { headers: { authorization: `Bearer ${TOKEN}` } });
  return { status: res.status, body: (await res.json()) as T };
}

describe('worker, CLI and console processes on a redis-sentinel:// URL', () => {
  const prefix = `tytopo${randomBytes(3).toString('hex')}`;
  const namespace = 'shop';
  let consoleUrl = '';
  let worker: Proc;

  before(async () => {
    worker = await startWorker(sentinelUrl(), prefix, namespace, ['emails']);
    const started = await start(
      [CONSOLE, '--port', '0', '--prefix', prefix, '--redis-url', sentinelUrl()],
      { TASKYARD_CONSOLE_TOKEN: TOKEN },
      /"console listening".*?"url":"(http:\/\/[^"]+)"/,
      'the console',
    );
    consoleUrl = started.match[1]!;
  });

  it('the worker runs a task the CLI enqueued, and the console lists the queue and the worker', async () => {
    assert.equal(await addThroughCli(sentinelUrl(), prefix, namespace, 'emails', 2, 3), 5);
    const queues = await api<{ items: QueueView[] }>(consoleUrl, '/api/queues');
    assert.equal(queues.status, 200, JSON.stringify(queues.body));
    const emails = queues.body.items.find((q) => q.name === `${namespace}/emails`);
    assert.ok(emails, `the console lists ${namespace}/emails: ${JSON.stringify(queues.body.items.map((q) => q.name))}`);
    assert.equal(emails.counts.completed, 1);
    const workers = await api<{ items: WorkerView[] }>(consoleUrl, '/api/workers');
    assert.equal(workers.status, 200, JSON.stringify(workers.body));
    assert.equal(workers.body.items.filter((w) => w.alive).length, 1, `one live worker: ${JSON.stringify(workers.body.items)}`);
    // The CLI reads the same registry: the queue has a live worker.
    const listed = await cliJson<Array<{ namespace: string; queue: string; workers: number }>>(sentinelUrl(), prefix, ['queues', '-n', namespace]);
    assert.deepEqual(listed.map((q) => [q.namespace, q.queue, q.workers]), [[namespace, 'emails', 1]]);
  });

  it('keeps working after the master is SIGKILLed: the worker runs the next CLI task, the console answers again', async () => {
    const oldMaster = await currentSentinelMaster();
    await killNode(oldMaster);
    const killedAt = Date.now();
    try {
      assert.equal(await addThroughCli(sentinelUrl(), prefix, namespace, 'emails', 20, 22, 15_000), 42);
      const seconds = (Date.now() - killedAt) / 1000;
      assert.ok(seconds < 30, `the first task after the failover took ${seconds} s`);
      assert.notEqual(await currentSentinelMaster(), oldMaster);
      const queues = await api<{ items: QueueView[] }>(consoleUrl, '/api/queues');
      assert.equal(queues.status, 200, JSON.stringify(queues.body));
      assert.equal(queues.body.items.find((q) => q.name === `${namespace}/emails`)?.counts.completed, 2);
      assert.equal(worker.child.exitCode, null, `the worker is still running:\n${worker.output().slice(-2000)}`);
    } finally {
      await restartNode(oldMaster);
      await askNode(oldMaster, 'REPLICAOF', '127.0.0.1', await currentSentinelMaster());
    }
  });
});

describe('worker and CLI processes on a redis-cluster:// URL', () => {
  const prefix = `tytopo${randomBytes(3).toString('hex')}`;
  const namespace = 'reports';
  const names = ['daily', 'weekly', 'monthly', 'yearly', 'adhoc', 'audit'];

  it('the worker runs CLI tasks of queues on several masters, and `taskyard queues` lists every one', async () => {
    const conn = await whenReady(connectRedis(clusterUrl(), { role: 'client' }));
    try {
      assert.ok(isCluster(conn));
      // Which master holds each queue's slot: the test is only worth something if there are several.
      const owners = new Set<string>();
      for (const name of names) {
        const slot = Number(await conn.call('CLUSTER', 'KEYSLOT', bullQueueName({ namespace, name })));
        const ranges = (await conn.call('CLUSTER', 'SLOTS')) as Array<[number, number, [string, number]]>;
        const owner = ranges.find(([lo, hi]) => slot >= lo && slot <= hi)?.[2];
        owners.add(`${owner?.[0]}:${owner?.[1]}`);
      }
      assert.ok(owners.size >= 2, `the queues live on ${owners.size} master(s)`);
    } finally {
      conn.disconnect();
    }

    await startWorker(clusterUrl(), prefix, namespace, names);
    for (const [i, name] of names.entries()) assert.equal(await addThroughCli(clusterUrl(), prefix, namespace, name, i, 100), 100 + i);

    const listed = await cliJson<Array<{ namespace: string; queue: string; completed: number; workers: number }>>(clusterUrl(), prefix, ['queues', '-n', namespace]);
    assert.deepEqual(
      listed.map((q) => q.queue).sort(),
      [...names].sort(),
    );
    for (const q of listed) assert.deepEqual([q.queue, q.completed, q.workers], [q.queue, 1, 1]);
    const table = await cli(clusterUrl(), prefix, ['queues', '-A']);
    assert.equal(table.code, 0, table.stderr);
    for (const name of names) assert.match(table.stdout, new RegExp(`^${namespace}/${name}\\s`, 'm'));
  });
});
