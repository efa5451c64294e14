import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { KubeHarness } from './support/kube-harness.js';
import { waitFor } from './support/wait-for.js';

type Env = { name: string; value?: string }[];
const workerEnv = (d: { spec?: Record<string, unknown> } | undefined) =>
  Object.fromEntries(((d?.spec as { template: { spec: { containers: { env: Env }[] } } }).template.spec.containers[0]?.env ?? []).map((e) => [e.name, e.value]));

describe('spec changes update children; deletion removes them', () => {
  let h: KubeHarness;
  before(async () => {
    h = await KubeHarness.create('lifecycle');
    await h.startOperator();
    for (const name of ['mail', 'keep', 'wipe']) {
      await h.create({ apiVersion: 'taskyard.dev/v1alpha1', kind: 'TaskQueue', metadata: { name }, spec: name === 'wipe' ? { deletionPolicy: 'Delete' } : {} });
    }
  });
  after(async () => h?.cleanup());

  it('a pool spec change rolls into its Deployment; deleting the pool removes the Deployment', async () => {
    await h.create({
      apiVersion: 'taskyard.dev/v1alpha1',
      kind: 'WorkerPool',
      metadata: { name: 'mailers' },
      spec: { queues: ['mail'], concurrency: 2, replicas: 1, bundle: { configMap: { name: 'b', key: 'b.mjs' } } },
    });
    await waitFor('Deployment with concurrency 2', async () => workerEnv(await h.get('Deployment', 'mailers')).TASKYARD_CONCURRENCY === '2');
    await h.patch('WorkerPool', 'mailers', { spec: { concurrency: 6, replicas: 3 } });
    const d = await waitFor('Deployment updated', async () => {
      const x = await h.get('Deployment', 'mailers');
      return workerEnv(x).TASKYARD_CONCURRENCY === '6' && x?.spec?.replicas === 3 ? x : undefined;
    });
    assert.equal((await h.list('Deployment')).length, 1, 'updated in place, not duplicated');
    assert.ok(d.metadata.ownerReferences?.[0]?.controller);
    await waitFor('status follows', async () => (await h.get('WorkerPool', 'mailers'))?.status?.desiredReplicas === 3);

    await h.delete('WorkerPool', 'mailers');
    await waitFor('Deployment garbage-collected', async () => (await h.get('Deployment', 'mailers')) === undefined, 90_000);
  });

  it('a hand edit of the Deployment is undone on the next reconcile of its pool', async () => {
    await h.create({
      apiVersion: 'taskyard.dev/v1alpha1',
      kind: 'WorkerPool',
      metadata: { name: 'steady' },
      spec: { queues: ['mail'], replicas: 2, bundle: { configMap: { name: 'b', key: 'b.mjs' } } },
    });
    await waitFor('Deployment', () => h.get('Deployment', 'steady'));
    await h.patch('Deployment', 'steady', { spec: { replicas: 7 } });
    await waitFor('replicas back to 2', async () => (await h.get('Deployment', 'steady'))?.spec?.replicas === 2);
    const image = (d: Awaited<ReturnType<typeof h.get>>) => (d?.spec as { template: { spec: { containers: { image: string }[] } } } | undefined)?.template.spec.containers[0]?.image;
    const original = image(await h.get('Deployment', 'steady'));
    const edited = await h.patch('Deployment', 'steady', { spec: { template: { spec: { containers: [{ name: 'worker', image: 'someone/else:1' }] } } } });
    assert.equal(image(edited), 'someone/else:1');
    await waitFor('pod template restored', async () => image(await h.get('Deployment', 'steady')) === original);
  });

  it('a Schedule moves from CronJob to job scheduler and back, and leaves nothing when deleted', async () => {
    await h.create({ apiVersion: 'taskyard.dev/v1alpha1', kind: 'Schedule', metadata: { name: 'tick' }, spec: { queue: 'mail', task: 'send', cron: '*/5 * * * *' } });
    await waitFor('CronJob', () => h.get('CronJob', 'tick'));
    await h.patch('Schedule', 'tick', { spec: { cron: '0 * * * *' } });
    await waitFor('CronJob schedule updated', async () => (await h.get('CronJob', 'tick'))?.spec?.schedule === '0 * * * *');

    await h.patch('Schedule', 'tick', { spec: { cron: null, every: '20s' } });
    await waitFor('CronJob removed', async () => (await h.get('CronJob', 'tick')) === undefined);
    const uid = (await h.get('Schedule', 'tick'))?.metadata.uid;
    await waitFor('job scheduler created', async () => (await h.queue('mail').getJobScheduler(`taskyard-schedule-${uid}`))?.every === 20_000);

    await h.patch('Schedule', 'tick', { spec: { every: '15m' } });
    await waitFor('CronJob back for a cron-able interval', async () => (await h.get('CronJob', 'tick'))?.spec?.schedule === '*/15 * * * *');
    await waitFor('job scheduler removed', async () => (await h.queue('mail').getJobScheduler(`taskyard-schedule-${uid}`)) === undefined);

    await h.patch('Schedule', 'tick', { spec: { every: '10s' } });
    await waitFor('job scheduler again', async () => (await h.queue('mail').getJobScheduler(`taskyard-schedule-${uid}`))?.every === 10_000);
    await h.delete('Schedule', 'tick');
    await waitFor('Schedule gone', async () => (await h.get('Schedule', 'tick')) === undefined);
    assert.equal(await h.queue('mail').getJobScheduler(`taskyard-schedule-${uid}`), undefined, 'the finalizer removed the job scheduler first');
  });

  it('pausing a queue pauses it in Redis and republishes its policy', async () => {
    const keys = h.keys;
    await waitFor('policy of mail', () => h.redis.get(keys.policy(h.ref('mail'))).then((v) => v ?? undefined));
    const sub = h.redis.duplicate();
    const messages: string[] = [];
    await sub.subscribe(keys.policyChanged(h.namespace));
    sub.on('message', (_channel, message: string) => messages.push(message));
    await h.patch('TaskQueue', 'mail', { spec: { paused: true, concurrency: 3 } });
    await waitFor('queue paused', () => h.queue('mail').isPaused());
    await waitFor('global concurrency 3', async () => (await h.queue('mail').getGlobalConcurrency()) === 3);
    await waitFor('policy-changed published', () => messages.includes('mail'));
    assert.equal((JSON.parse((await h.redis.get(keys.policy(h.ref('mail')))) ?? '{}') as { paused: boolean }).paused, true);
    await h.patch('TaskQueue', 'mail', { spec: { paused: false, concurrency: null } });
    await waitFor('queue resumed', async () => !(await h.queue('mail').isPaused()));
    await waitFor('no global concurrency', async () => (await h.queue('mail').getGlobalConcurrency()) === null);
    sub.disconnect();
  });

  it('deletionPolicy Delete obliterates the queue and its dead letters; Retain keeps them', async () => {
    for (const name of ['keep', 'wipe']) {
      await waitFor(`policy of ${name}`, () => h.redis.get(h.keys.policy(h.ref(name))).then((v) => v ?? undefined));
      await h.queue(name).add('t', { v: 1 });
      await h.queue(name, { dead: true }).add('t', { v: 1 });
    }
    await waitFor('wipe finalizer', async () => (await h.get('TaskQueue', 'wipe'))?.metadata.finalizers?.includes('taskyard.dev/redis-data'));
    await h.delete('TaskQueue', 'wipe');
    await h.delete('TaskQueue', 'keep');
    await waitFor('both TaskQueues gone', async () => (await h.get('TaskQueue', 'wipe')) === undefined && (await h.get('TaskQueue', 'keep')) === undefined);
    assert.equal(await h.queue('wipe').count(), 0);
    assert.equal(await h.queue('wipe', { dead: true }).count(), 0);
    assert.equal(await h.redis.exists(h.keys.policy(h.ref('wipe'))), 0);
    assert.deepEqual((await h.redis.smembers(h.keys.queues(h.namespace))).sort(), ['keep', 'mail'], 'a deleted queue leaves the namespace\'s queue set only with deletionPolicy Delete');
    assert.equal(await h.queue('keep').count(), 1);
    assert.equal(await h.queue('keep', { dead: true }).count(), 1);
  });
});
