import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { condition, KubeHarness, loadSamples, type KubeObjectJson } from './support/kube-harness.js';
import { waitFor } from './support/wait-for.js';

type Container = { name: string; image: string; command?: string[]; env?: { name: string; value?: string; valueFrom?: unknown }[] };
type PodTemplate = { spec: { containers: Container[]; initContainers?: Container[]; volumes?: { name: string }[]; terminationGracePeriodSeconds?: number; serviceAccountName?: string; tolerations?: unknown[] } };
const envOf = (c: Container | undefined) => Object.fromEntries((c?.env ?? []).map((e) => [e.name, e.value ?? e.valueFrom]));

describe('examples/k8s applied: the operator makes exactly the expected children', () => {
  let h: KubeHarness;
  const samples = loadSamples();

  before(async () => {
    h = await KubeHarness.create('samples');
    await h.create({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'payments-redis' }, stringData: { url: h.redisUrl } });
    await h.startOperator();
    for (const [, doc] of samples) await h.create(doc);
  });
  after(async () => h?.cleanup());

  it('gives the autoscaled pool one Deployment owned by it, with the ConfigMap bundle and the env contract', async () => {
    const pool = (await h.get('WorkerPool', 'general')) as KubeObjectJson;
    const deployments = await waitFor('the general Deployment', async () => {
      const all = await h.list('Deployment');
      return all.length === 2 ? all : undefined;
    });
    const d = deployments.find((x) => x.metadata.name === 'general');
    assert.ok(d, 'Deployment general exists');
    assert.deepEqual(d.metadata.ownerReferences?.map((r) => [r.kind, r.name, r.uid, r.controller]), [['WorkerPool', 'general', pool.metadata.uid, true]]);
    const template = (d.spec as { template: PodTemplate }).template;
    const worker = template.spec.containers[0];
    const env = envOf(worker);
    assert.equal(env.TASKYARD_QUEUES, 'emails,reports');
    assert.equal(env.TASKYARD_CONCURRENCY, '8');
    assert.equal(env.TASKYARD_BUNDLE_PATH, '/bundle/bundle.mjs');
    assert.equal(env.TASKYARD_REDIS_URL, h.redisUrl);
    assert.equal(env.TASKYARD_PREFIX, h.prefix);
    assert.equal(env.TASKYARD_LOG_LEVEL, 'info');
    // The queues' longest hard limit is emails' 30s: grace 40 s.
    assert.equal(template.spec.terminationGracePeriodSeconds, 40);
    // The 30-second schedule's first tick lands in reports at once: the pool scales from zero to one replica.
    await waitFor('general scaled from zero to 1', async () => (await h.get('Deployment', 'general'))?.spec?.replicas === 1);
    const status = await waitFor('general status', async () => {
      const p = await h.get('WorkerPool', 'general');
      return p?.status?.desiredReplicas === 1 ? p.status : undefined;
    });
    assert.match(String(status.lastScaleReason), /^ScaleFromZero/);
  });

  it('gives the fixed pool its URL bundle, 2 replicas, the Secret-backed Redis URL and its template settings', async () => {
    const d = await waitFor('the payments Deployment', () => h.get('Deployment', 'payments'));
    assert.equal(d.spec?.replicas, 2);
    const template = (d.spec as { template: PodTemplate }).template;
    const env = envOf(template.spec.containers[0]);
    assert.equal(env.TASKYARD_BUNDLE_URL, 'http://bundles.tasks.svc.cluster.local/payments-1.4.0.mjs');
    assert.equal(env.TASKYARD_BUNDLE_SHA256, '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08');
    assert.deepEqual(env.TASKYARD_REDIS_URL, { secretKeyRef: { name: 'payments-redis', key: 'url' } });
    assert.equal(template.spec.terminationGracePeriodSeconds, 90);
    assert.equal(template.spec.serviceAccountName, 'payments-worker');
    assert.equal(template.spec.tolerations?.length, 1);
  });

  it('turns the cron schedule into one CronJob with its time zone, policy and deadline', async () => {
    const cronJobs = await waitFor('one CronJob', async () => {
      const all = await h.list('CronJob');
      return all.length === 1 ? all : undefined;
    });
    const c = cronJobs[0] as KubeObjectJson;
    assert.equal(c.metadata.name, 'nightly-report');
    assert.equal(c.metadata.ownerReferences?.[0]?.kind, 'Schedule');
    const spec = c.spec as { schedule: string; timeZone: string; concurrencyPolicy: string; startingDeadlineSeconds: number; suspend: boolean; jobTemplate: { spec: { template: PodTemplate } } };
    assert.equal(spec.schedule, '0 3 * * *');
    assert.equal(spec.timeZone, 'Europe/Paris');
    assert.equal(spec.concurrencyPolicy, 'Forbid');
    assert.equal(spec.startingDeadlineSeconds, 300);
    assert.equal(spec.suspend, false);
    const command = spec.jobTemplate.spec.template.spec.containers[0]?.command ?? [];
    const schedule = await h.get('Schedule', 'nightly-report');
    assert.deepEqual(command.slice(0, 6), ['taskyard-worker', 'enqueue', '--queue', 'reports', '--task', 'generate_report']);
    assert.equal(command[command.indexOf('--schedule-id') + 1], schedule?.metadata.uid);
  });

  it('runs the 30-second schedule as a BullMQ job scheduler (no CronJob) guarded by a finalizer', async () => {
    const s = await waitFor('sync-data finalizer', async () => {
      const o = await h.get('Schedule', 'sync-data');
      return o?.metadata.finalizers?.includes('taskyard.dev/job-scheduler') ? o : undefined;
    });
    const schedulers = await waitFor('a job scheduler on reports', async () => {
      const list = await h.queue('reports').getJobSchedulers();
      return list.length === 1 ? list : undefined;
    });
    assert.equal(schedulers[0]?.key, `taskyard-schedule-${s.metadata.uid}`);
    assert.equal(schedulers[0]?.every, 30_000);
    assert.equal((await h.get('CronJob', 'sync-data')), undefined);
    const ready = await waitFor('sync-data Ready', async () => condition(await h.get('Schedule', 'sync-data'), 'Ready'));
    assert.match(String(ready.message), /options\.expires \(25s\) is not applied to job-scheduler ticks/);
  });

  it('publishes every queue policy to Redis and applies the rate limit and the global concurrency', async () => {
    const keys = h.keys;
    const emails = await waitFor('emails policy', () => h.redis.get(keys.policy(h.ref('emails'))).then((v) => v ?? undefined));
    const policy = JSON.parse(emails) as { defaults: { attempts: number }; rateLimit: { max: number } };
    assert.equal(policy.defaults.attempts, 5);
    assert.equal(policy.rateLimit.max, 100);
    assert.deepEqual(await h.queue('emails').getGlobalRateLimit(), { max: 100, duration: 1000 });
    await waitFor('payments global concurrency', async () => (await h.queue('payments').getGlobalConcurrency()) === 10);
    assert.ok(await h.redis.get(keys.policy(h.ref('reports'))));
  });

  it('keeps a finalizer on the Delete-policy queue only', async () => {
    await waitFor('payments finalizer', async () => (await h.get('TaskQueue', 'payments'))?.metadata.finalizers?.includes('taskyard.dev/redis-data'));
    assert.equal((await h.get('TaskQueue', 'emails'))?.metadata.finalizers, undefined);
  });

  it('writes status with conditions and observedGeneration on every resource', async () => {
    for (const [kind, name] of [['TaskQueue', 'emails'], ['TaskQueue', 'payments'], ['WorkerPool', 'general'], ['WorkerPool', 'payments'], ['Schedule', 'nightly-report'], ['Schedule', 'sync-data']] as const) {
      const o = await waitFor(`${kind} ${name} status`, async () => {
        const x = await h.get(kind, name);
        return x?.status?.observedGeneration === x?.metadata.generation && condition(x, 'Degraded') ? x : undefined;
      });
      assert.equal(condition(o, 'Degraded')?.status, 'False', `${kind} ${name} not degraded: ${condition(o, 'Degraded')?.message}`);
      assert.ok(condition(o, 'Ready'), `${kind} ${name} has Ready`);
    }
    const q = await h.get('TaskQueue', 'emails');
    assert.equal(condition(q, 'Ready')?.status, 'True');
    assert.deepEqual(Object.keys((q?.status?.counts as object) ?? {}).sort(), ['active', 'completed', 'dead', 'delayed', 'failed', 'prioritized', 'waiting']);
    const s = await h.get('Schedule', 'nightly-report');
    assert.ok(Date.parse(String(s?.status?.nextScheduleTime)) > Date.now());
    // No node in this tier: the pool's pods never become ready.
    const pool = await h.get('WorkerPool', 'payments');
    assert.equal(condition(pool, 'Ready')?.status, 'False');
    assert.equal(pool?.status?.desiredReplicas, 2);
  });

  it('records Events for what it created', async () => {
    await waitFor('DeploymentCreated event', async () => (await h.events('payments')).some((e) => e.reason === 'DeploymentCreated'));
    await waitFor('CronJobCreated event', async () => (await h.events('nightly-report')).some((e) => e.reason === 'CronJobCreated'));
  });
});
