/**
 * The generated CRDs on a real API server (KUBECONFIG, KUBECTL from scripts/with-cluster.sh): the
 * server accepts them (structural schemas, CEL rules compiled within their cost budget), stores the
 * samples with their defaults, prints the columns, and rejects what the zod schemas reject, naming
 * the same field with the same message. Also renders the chart's CRD templates with the built helm (HELM).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse, parseAllDocuments, stringify } from 'yaml';
import type { z } from 'zod';
import { formatValidationError, resolveQueuePolicy, scheduleSchema, taskQueueSchema, workerPoolSchema } from '../src/index.js';
import { repositoryRoot } from './repository-root.js';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

const kubectlBin = process.env['KUBECTL'] ?? 'kubectl';

const kubectl = (args: string[], input?: string): Promise<Run> => runCommand(kubectlBin, args, input);

function runCommand(command: string, args: string[], input?: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(input ?? '');
  });
}

async function kubectlOk(args: string[], input?: string): Promise<string> {
  const run = await kubectl(args, input);
  assert.equal(run.code, 0, `kubectl ${args.join(' ')} failed:\n${run.stderr}`);
  return run.stdout;
}

const namespace = `taskyard-api-${randomBytes(4).toString('hex')}`;
const crdNames = ['taskqueues.taskyard.dev', 'workerpools.taskyard.dev', 'schedules.taskyard.dev'];
const schemaOf: Record<string, z.ZodType> = { TaskQueue: taskQueueSchema, WorkerPool: workerPoolSchema, Schedule: scheduleSchema };

/** A server-side dry-run create with strict field validation, as `kubectl create` does it. */
const dryRunCreate = (object: unknown) =>
  kubectl(['create', '--dry-run=server', '--validate=strict', '-n', namespace, '-f', '-'], stringify(object));

const base = {
  TaskQueue: (spec: object) => ({ apiVersion: 'taskyard.dev/v1alpha1', kind: 'TaskQueue', metadata: { name: 'q' }, spec }),
  WorkerPool: (spec: object) => ({
    apiVersion: 'taskyard.dev/v1alpha1',
    kind: 'WorkerPool',
    metadata: { name: 'p' },
    spec: { queues: ['q'], bundle: { configMap: { name: 'b', key: 'bundle.mjs' } }, ...spec },
  }),
  Schedule: (spec: object) => ({
    apiVersion: 'taskyard.dev/v1alpha1',
    kind: 'Schedule',
    metadata: { name: 's' },
    spec: { queue: 'q', task: 't', ...spec },
  }),
};

/** Objects the server and zod must both reject, with the field and message the server names. */
const rejected: { name: string; object: unknown; field: string; message: RegExp }[] = [
  {
    name: 'minReplicas above maxReplicas',
    object: base.WorkerPool({ autoscaling: { minReplicas: 6, maxReplicas: 5 } }),
    field: 'spec.autoscaling.minReplicas',
    message: /minReplicas must not exceed maxReplicas/,
  },
  {
    name: 'two bundle sources',
    object: base.WorkerPool({ bundle: { configMap: { name: 'b', key: 'k' }, image: { ref: 'x:1' } } }),
    field: 'spec.bundle',
    message: /exactly one bundle source: configMap, image or url/,
  },
  {
    name: 'no bundle source',
    object: base.WorkerPool({ bundle: {} }),
    field: 'spec.bundle',
    message: /exactly one bundle source/,
  },
  {
    name: 'replicas and autoscaling',
    object: base.WorkerPool({ replicas: 1, autoscaling: { maxReplicas: 2 } }),
    field: 'spec.replicas',
    message: /set replicas or autoscaling, not both/,
  },
  {
    name: 'a queue named twice',
    object: base.WorkerPool({ queues: ['a', 'b', 'a'] }),
    field: 'spec.queues',
    message: /must not name a queue twice/,
  },
  {
    name: 'a short sha256',
    object: base.WorkerPool({ bundle: { url: { href: 'https://x/b.mjs', sha256: 'abc' } } }),
    field: 'spec.bundle.url.sha256',
    message: /should match|does not match|\^\[0-9a-f\]\{64\}\$/,
  },
  {
    name: 'cron and every',
    object: base.Schedule({ cron: '* * * * *', every: '30s' }),
    field: 'spec.cron',
    message: /set exactly one of cron or every/,
  },
  {
    name: 'neither cron nor every',
    object: base.Schedule({}),
    field: 'spec.cron',
    message: /set exactly one of cron or every/,
  },
  {
    name: 'a 4-field cron',
    object: base.Schedule({ cron: '* * * *' }),
    field: 'spec.cron',
    message: /should match|does not match/,
  },
  {
    name: 'timeZone with every',
    object: base.Schedule({ every: '30s', timeZone: 'UTC' }),
    field: 'spec.timeZone',
    message: /timeZone applies to cron only/,
  },
  {
    name: 'every under a second',
    object: base.Schedule({ every: '500ms' }),
    field: 'spec.every',
    message: /every must be at least 1s/,
  },
  {
    name: 'soft time limit not under hard (days against hours)',
    object: base.TaskQueue({ defaults: { timeLimit: { soft: '2d', hard: '47h' } } }),
    field: 'spec.defaults.timeLimit.soft',
    message: /soft must be shorter than hard/,
  },
  {
    name: 'a duration with two units',
    object: base.TaskQueue({ defaults: { expires: '1h30m' } }),
    field: 'spec.defaults.expires',
    message: /should match|does not match/,
  },
  {
    name: 'a queue name ending in .dead',
    object: { ...base.TaskQueue({}), metadata: { name: 'emails.dead' } },
    field: '',
    message: /must not end in "\.dead"/,
  },
  {
    name: 'an unknown spec field',
    object: base.TaskQueue({ retries: 3 }),
    field: 'spec.retries',
    message: /unknown field/,
  },
];

/** Objects both accept: edges of the rules. */
const accepted: { name: string; object: unknown }[] = [
  { name: 'minReplicas equal to maxReplicas', object: base.WorkerPool({ autoscaling: { minReplicas: 3, maxReplicas: 3 } }) },
  { name: 'neither replicas nor autoscaling', object: base.WorkerPool({}) },
  { name: 'soft just under hard', object: base.TaskQueue({ defaults: { timeLimit: { soft: '59999ms', hard: '1m' } } }) },
  { name: 'soft in days under hard in hours', object: base.TaskQueue({ defaults: { timeLimit: { soft: '1d', hard: '25h' } } }) },
  { name: 'every of exactly one second', object: base.Schedule({ every: '1000ms' }) },
  { name: 'cron with a time zone', object: base.Schedule({ cron: '0 3 * * MON-FRI', timeZone: 'America/New_York' }) },
  { name: 'resources as strings and integers', object: base.WorkerPool({ template: { resources: { requests: { cpu: '250m' }, limits: { cpu: 2 } } } }) },
];

describe('CRDs on a real API server', () => {
  before(async () => {
    assert.ok(process.env['KUBECONFIG'], 'KUBECONFIG is not set: run through scripts/with-cluster.sh control-plane');
    await kubectlOk(['apply', '--server-side', '--force-conflicts', '--field-manager=taskyard-api-test', '-f', join(repositoryRoot, 'crds')]);
    await kubectlOk(['wait', '--for=condition=Established', '--timeout=120s', ...crdNames.map((n) => `crd/${n}`)]);
    await kubectlOk(['create', 'namespace', namespace]);
  });

  after(async () => {
    await kubectl(['delete', 'namespace', namespace, '--wait=false']);
  });

  it('accepts the CRDs with no warning about their schemas', async () => {
    const run = await kubectl(['get', 'crd', ...crdNames, '-o', 'json']);
    assert.equal(run.code, 0, run.stderr);
    const list = JSON.parse(run.stdout) as { items: { metadata: { name: string }; status: { conditions: { type: string; status: string; message: string }[] } }[] };
    for (const crd of list.items) {
      const byType = new Map(crd.status.conditions.map((c) => [c.type, c]));
      assert.equal(byType.get('Established')?.status, 'True', crd.metadata.name);
      assert.equal(byType.get('NamesAccepted')?.status, 'True', crd.metadata.name);
      assert.notEqual(byType.get('NonStructuralSchema')?.status, 'True', `${crd.metadata.name}: ${byType.get('NonStructuralSchema')?.message}`);
    }
  });

  it('stores every sample of examples/k8s and fills the schema defaults', async () => {
    const dir = join(repositoryRoot, 'examples/k8s');
    const files = (await readdir(dir)).filter((f) => f.endsWith('.yaml'));
    for (const file of files) {
      await kubectlOk(['create', '--validate=strict', '-n', namespace, '-f', join(dir, file)]);
    }
    const reports = JSON.parse(await kubectlOk(['get', 'taskqueue', 'reports', '-n', namespace, '-o', 'json'])) as unknown;
    const parsed = taskQueueSchema.parse(reports);
    assert.equal(parsed.spec.deletionPolicy, 'Retain');
    const stored = (reports as { spec: Record<string, unknown> }).spec;
    // Filled by the API server from the CRD's defaults, the same values zod fills.
    assert.equal(stored['deletionPolicy'], 'Retain');
    assert.deepEqual((stored['defaults'] as Record<string, unknown>)['backoff'], { type: 'exponential', delay: '1s', maxDelay: '10m', jitter: true });
    assert.equal(stored['maxPayloadBytes'], 262144);
    const pool = JSON.parse(await kubectlOk(['get', 'wp', 'general', '-n', namespace, '-o', 'json'])) as { spec: { autoscaling: Record<string, unknown> } };
    assert.equal(pool.spec.autoscaling['pollSeconds'], 5);
  });

  it('renders the chart templates with helm into the same CRDs, keep annotation and install switch working', async () => {
    const helm = process.env['HELM'];
    assert.ok(helm, 'HELM is not set: run through scripts/with-cluster.sh, which points it at the built helm');
    const chart = await mkdtemp(join(tmpdir(), 'taskyard-api-chart-'));
    try {
      // A chart of only the generated templates, so the test does not depend on the rest of the chart.
      await cp(join(repositoryRoot, 'charts/taskyard/templates/crds'), join(chart, 'templates/crds'), { recursive: true });
      await writeFile(join(chart, 'Chart.yaml'), 'apiVersion: v2\nname: taskyard\nversion: 0.0.0\n');
      await writeFile(join(chart, 'values.yaml'), 'crds:\n  install: true\n  keep: true\n');
      const render = async (...set: string[]) => {
        const run = await runCommand(helm, ['template', 't', chart, ...set.flatMap((s) => ['--set', s])]);
        assert.equal(run.code, 0, run.stderr);
        return parseAllDocuments(run.stdout).map((d) => d.toJS() as { metadata: { name: string; annotations?: Record<string, string> } } | null).filter((d) => d !== null);
      };
      const kept = await render();
      assert.equal(kept.length, 3);
      for (const crd of kept) assert.equal(crd.metadata.annotations?.['helm.sh/resource-policy'], 'keep');
      const plain = await render('crds.keep=false');
      for (const crd of plain) {
        assert.deepEqual(crd, parse(await readFile(join(repositoryRoot, 'crds', `${crd.metadata.name}.yaml`), 'utf8')));
      }
      assert.equal((await render('crds.install=false')).length, 0);
    } finally {
      await rm(chart, { recursive: true, force: true });
    }
  });

  it('fills a TaskQueue without spec with the same defaults as resolveQueuePolicy', async () => {
    const bare = { apiVersion: 'taskyard.dev/v1alpha1', kind: 'TaskQueue', metadata: { name: 'bare' } };
    const stored = JSON.parse(
      await kubectlOk(['create', '--dry-run=server', '-n', namespace, '-f', '-', '-o', 'json'], stringify(bare)),
    ) as { spec: Record<string, unknown> };
    const { deletionPolicy, ...policy } = stored.spec;
    assert.equal(deletionPolicy, 'Retain');
    assert.deepEqual(policy, resolveQueuePolicy({}));
  });

  it('prints the columns and answers to the short names and the category', async () => {
    const tq = await kubectlOk(['get', 'tq', '-n', namespace]);
    assert.match(tq.split('\n')[0] ?? '', /^NAME\s+WAITING\s+ACTIVE\s+FAILED\s+PAUSED\s+READY\s+AGE$/);
    assert.match(tq, /\nemails\s/);
    const wp = await kubectlOk(['get', 'wp', '-n', namespace]);
    assert.match(wp.split('\n')[0] ?? '', /^NAME\s+QUEUES\s+DESIRED\s+READY\s+AGE$/);
    assert.match(wp, /general\s+\["emails","reports"\]/);
    const sch = await kubectlOk(['get', 'sch', '-n', namespace]);
    assert.match(sch.split('\n')[0] ?? '', /^NAME\s+CRON\s+EVERY\s+SUSPEND\s+LAST\s+NEXT\s+AGE$/);
    assert.match(sch, /\nnightly-report\s+0 3 \* \* \*\s+false\s/);
    assert.match(sch, /\nsync-data\s+30s\s+false\s/);
    const all = await kubectlOk(['get', 'taskyard', '-n', namespace, '-o', 'name']);
    for (const name of ['taskqueue.taskyard.dev/emails', 'workerpool.taskyard.dev/general', 'schedule.taskyard.dev/sync-data']) {
      assert.ok(all.includes(name), `kubectl get taskyard misses ${name}`);
    }
  });

  it('takes status through the status subresource only', async () => {
    const patch = JSON.stringify({ status: { counts: { waiting: 7, prioritized: 0, active: 1, delayed: 0, failed: 0, completed: 3, dead: 0 } } });
    await kubectlOk(['patch', 'tq', 'emails', '-n', namespace, '--subresource=status', '--type=merge', '-p', patch]);
    const tq = await kubectlOk(['get', 'tq', 'emails', '-n', namespace]);
    assert.match(tq, /\nemails\s+7\s+1\s+0\s+false/);
    const bad = await kubectl(['patch', 'tq', 'emails', '-n', namespace, '--subresource=status', '--type=merge', '-p', JSON.stringify({ status: { counts: { waiting: -1 } } })]);
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /status\.counts\.waiting/);
  });

  for (const { name, object, field, message } of rejected) {
    it(`rejects ${name}, naming ${field || 'the object'}, as zod does`, async () => {
      const run = await dryRunCreate(object);
      assert.notEqual(run.code, 0, `the server accepted ${name}`);
      assert.match(run.stderr, message);
      if (field) assert.ok(run.stderr.includes(field), `server error does not name ${field}:\n${run.stderr}`);
      const kind = (object as { kind: string }).kind;
      const zod = schemaOf[kind]!.safeParse(object);
      assert.equal(zod.success, false, `zod accepted ${name}`);
      if (field) {
        const zodText = formatValidationError(zod.error);
        assert.ok(zodText.split('\n').some((line) => line.startsWith(`${field}: `)), `zod does not name ${field}:\n${zodText}`);
      }
    });
  }

  for (const { name, object } of accepted) {
    it(`accepts ${name}, as zod does`, async () => {
      const run = await dryRunCreate(object);
      assert.equal(run.code, 0, `the server rejected ${name}:\n${run.stderr}`);
      const kind = (object as { kind: string }).kind;
      assert.equal(schemaOf[kind]!.safeParse(object).success, true, `zod rejected ${name}`);
    });
  }

  it('leaves to the operator what only runtime checks see (cron ranges, time zone names)', async () => {
    // The CRD checks shapes; the operator validates with zod and reports a Ready=False condition.
    for (const object of [base.Schedule({ cron: '61 * * * *' }), base.Schedule({ cron: '0 3 * * *', timeZone: 'Mars/Olympus' })]) {
      assert.equal((await dryRunCreate(object)).code, 0);
      assert.equal(scheduleSchema.safeParse(object).success, false);
    }
  });
});
