import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { ConsoleHandle } from '../src/index.js';
import { loadKubeConnection } from '../src/kube/kube-connection.js';
import type { ScheduleListResponse } from '../src/schemas/schedule-schemas.js';
import { call, randomPrefix, startTestConsole } from './helpers/console-fixture.js';

const crd = fileURLToPath(new URL('../../../crds/schedules.taskyard.dev.yaml', import.meta.url));
const namespace = `console-${randomBytes(3).toString('hex')}`;
let handle: ConsoleHandle;
let allNamespaces: ConsoleHandle;

function kubectl(args: string[], input?: string): string {
  const bin = process.env.KUBECTL ?? 'kubectl';
  if (!process.env.KUBECONFIG) throw new Error('KUBECONFIG is not set: run kube tests through `make test-kube`');
  return execFileSync(bin, args, { input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
}

before(async () => {
  kubectl(['apply', '--server-side', '--force-conflicts', '--field-manager', 'console-tests', '-f', crd]);
  kubectl(['wait', '--for=condition=Established', '--timeout=60s', 'crd/schedules.taskyard.dev']);
  kubectl(['create', 'namespace', namespace]);
  const schedules = [
    { name: 'nightly-report', spec: { queue: 'reports', task: 'reports.nightly', cron: '30 2 * * *', timeZone: 'Europe/Paris' } },
    { name: 'heartbeat', spec: { queue: 'default', task: 'ping', every: '30s' } },
    { name: 'paused', spec: { queue: 'default', task: 'ping', cron: '* * * * *', suspend: true } },
  ];
  for (const s of schedules) {
    kubectl(['apply', '-n', namespace, '-f', '-'], JSON.stringify({ apiVersion: 'taskyard.dev/v1alpha1', kind: 'Schedule', metadata: { name: s.name }, spec: s.spec }));
  }
  const kube = loadKubeConnection(process.env);
  assert.ok(kube, 'KUBECONFIG gives a connection');
  handle = await startTestConsole(randomPrefix(), { kube, namespace });
  allNamespaces = await startTestConsole(randomPrefix(), { kube });
});

after(async () => {
  await handle?.close();
  await allNamespaces?.close();
  try {
    kubectl(['delete', 'namespace', namespace, '--wait=false']);
  } catch {
    // already gone
  }
});

test('lists the Schedules of its namespace from the Kubernetes API with their next run', async () => {
  const r = await call<ScheduleListResponse>(handle.url, 'GET', '/api/schedules');
  assert.equal(r.status, 200);
  assert.equal(r.body.source, 'kubernetes');
  assert.deepEqual(r.body.items.map((s) => s.name), ['heartbeat', 'nightly-report', 'paused']);
  const nightly = r.body.items.find((s) => s.name === 'nightly-report');
  assert.equal(nightly?.cron, '30 2 * * *');
  assert.equal(nightly?.timeZone, 'Europe/Paris');
  assert.equal(nightly?.queue, 'reports');
  const next = new Date(nightly?.nextRun ?? '');
  assert.ok(next.getTime() > Date.now() && next.getTime() <= Date.now() + 25 * 3600_000, `next run ${nightly?.nextRun} is within a day`);
  const paris = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Paris', hour: '2-digit', minute: '2-digit' }).format(next);
  assert.equal(paris, '02:30');
  const heartbeat = r.body.items.find((s) => s.name === 'heartbeat');
  assert.equal(heartbeat?.every, '30s');
  assert.ok(Date.parse(heartbeat?.nextRun ?? '') - Date.now() <= 30_000);
  const paused = r.body.items.find((s) => s.name === 'paused');
  assert.equal(paused?.suspend, true);
  assert.equal(paused?.nextRun, undefined);
});

test('without a namespace it lists Schedules of every namespace', async () => {
  const r = await call<ScheduleListResponse>(allNamespaces.url, 'GET', '/api/schedules');
  assert.equal(r.status, 200);
  assert.ok(r.body.items.filter((s) => s.namespace === namespace).length === 3);
});
