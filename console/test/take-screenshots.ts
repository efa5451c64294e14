/**
 * Takes the screenshots in docs/screenshots/ from a live console: real worker, real tasks.
 * Only the throughput history of the hour before the run is seeded (the runtime's own counter
 * keys, `<prefix>:rate:<queue>:<minute>`), so the charts show what an hour of traffic looks like.
 * With KUBECONFIG set (scripts/with-cluster.sh control-plane ...), Schedules are created in a
 * namespace of their own on that API server and the schedules view shows them.
 *   scripts/with-cluster.sh control-plane scripts/with-redis.sh node console/dist/test/take-screenshots.js
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { taskyardKeys } from '@taskyard/api/wire';
import { call, dropPrefix, randomPrefix, startTestConsole, testRedisUrl, TOKEN, waitFor } from './helpers/console-fixture.js';
import { launchChromium } from './helpers/launch-chromium.js';
import { loadKubeConnection } from '../src/kube/kube-connection.js';
import { runWorker } from './helpers/run-worker.js';

const out = fileURLToPath(new URL('../../../docs/screenshots/', import.meta.url));
mkdirSync(out, { recursive: true });
const prefix = randomPrefix();
const namespace = 'taskyard-demo';
const kubectl = (args: string[], input?: string): string =>
  execFileSync(process.env.KUBECTL ?? 'kubectl', args, { input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
const kube = process.env.KUBECONFIG ? loadKubeConnection(process.env) : undefined;
if (kube) {
  kubectl(['apply', '--server-side', '--force-conflicts', '--field-manager', 'console-screenshots', '-f', fileURLToPath(new URL('../../../crds/schedules.taskyard.dev.yaml', import.meta.url))]);
  kubectl(['wait', '--for=condition=Established', '--timeout=60s', 'crd/schedules.taskyard.dev']);
  kubectl(['create', 'namespace', namespace]);
  for (const [name, spec] of [
    ['nightly-report', { queue: 'reports', task: 'reports.nightly', args: [{ format: 'pdf' }], cron: '30 2 * * *', timeZone: 'Europe/Paris' }],
    ['digest-emails', { queue: 'emails', task: 'emails.digest', cron: '0 8 * * 1-5', timeZone: 'America/New_York' }],
    ['heartbeat', { queue: 'default', task: 'ping', every: '30s' }],
    ['cleanup', { queue: 'default', task: 'storage.cleanup', cron: '0 * * * *', suspend: true }],
  ] as const) {
    kubectl(['apply', '-n', namespace, '-f', '-'], JSON.stringify({ apiVersion: 'taskyard.dev/v1alpha1', kind: 'Schedule', metadata: { name }, spec }));
  }
}
const handle = await startTestConsole(prefix, { checkResponses: false, kube: kube ?? null, namespace });
const workers = [await runWorker(prefix, ['emails', 'reports'], 4, 'mailers'), await runWorker(prefix, ['reports'], 2, 'reporting')];
const redis = new Redis(testRedisUrl());
const keys = taskyardKeys(prefix);
const now = Math.floor(Date.now() / 60_000);
for (let m = 1; m < 60; m++) {
  const wave = (q: number): number => Math.max(0, Math.round(q * (1 + Math.sin(m / 6)) + (m % 7)));
  await redis.set(keys.rate({ namespace: 'default', name: 'emails' }, now - m), wave(40), 'EX', 7200);
  await redis.set(keys.rate({ namespace: 'default', name: 'reports' }, now - m), wave(8), 'EX', 7200);
}
const enqueue = async (body: Record<string, unknown>): Promise<string> => (await call<{ id: string }>(handle.url, 'POST', '/api/tasks', body)).body.id;
const missing = join(mkdtempSync(join(tmpdir(), 'shots-')), 'not-there.csv');
for (let i = 0; i < 60; i++) await enqueue({ name: 'math.add', args: [i, i * 2], queue: 'emails' });
const success = await enqueue({ name: 'math.add', args: [20, 22], queue: 'emails', kwargs: { invoice: 'INV-4711' } });
const failed = await enqueue({ name: 'test.needs-file', args: [missing], queue: 'reports' });
await enqueue({ name: 'test.fail', args: ['SMTP 554: message rejected'], queue: 'emails' });
for (let i = 0; i < 3; i++) await enqueue({ name: 'test.sleep', args: [600_000], queue: 'reports' });
for (let i = 0; i < 5; i++) await enqueue({ name: 'math.add', args: [i, 1], queue: 'emails', countdown: 3_600_000 * (i + 1) });
for (let i = 0; i < 12; i++) await enqueue({ name: 'math.add', args: [i, 0], queue: 'default' });
await waitFor('tasks to settle', async () => (await call<{ state: string }>(handle.url, 'GET', `/api/tasks/${failed}`)).body.state === 'FAILURE');
await waitFor('workers to report active tasks', async () => {
  const w = await call<{ items: Array<{ active: string[] }> }>(handle.url, 'GET', '/api/workers');
  return w.body.items.reduce((n, x) => n + x.active.length, 0) >= 3;
}, 30_000, 500);

const browser = await launchChromium();
const page = await browser.context.newPage();
page.setDefaultTimeout(30_000);
const shot = async (hash: string, file: string, ready: string): Promise<void> => {
  await page.goto(`${handle.url}/${hash}`);
  try {
    await page.locator(ready).first().waitFor();
  } catch (err) {
    await page.screenshot({ path: join(tmpdir(), `failed-${file}`) });
    throw new Error(`${file}: ${(err as Error).message}\n${await page.locator('body').innerText()}`);
  }
  await page.waitForTimeout(1200);
  await page.screenshot({ path: join(out, file), fullPage: true });
  process.stdout.write(`wrote docs/screenshots/${file}\n`);
};
await page.goto(`${handle.url}/#token=${TOKEN}`);
await shot('#/', 'queues.png', '[data-testid="queue-default/emails"]');
await shot('#/tasks?queue=emails&state=completed', 'tasks.png', 'tr[data-task]');
await shot(`#/task/${success}`, 'task-success.png', 'h1 [data-state="SUCCESS"]');
await shot(`#/task/${failed}`, 'task-failure.png', '[data-testid="traceback"]');
await shot('#/workers', 'workers.png', 'tr[data-worker]');
await shot('#/dead?queue=emails', 'dead-letters.png', 'tr[data-dead]');
await shot('#/schedules', 'schedules.png', '[data-testid="schedules-note"], tr[data-schedule]');

await browser.close();
for (const w of workers) await w.stop();
await handle.close();
redis.disconnect();
await dropPrefix(prefix);
if (kube) {
  try {
    kubectl(['delete', 'namespace', namespace, '--wait=false']);
  } catch (err) {
    process.stderr.write(`could not delete namespace ${namespace}: ${(err as Error).message}\n`);
  }
}
