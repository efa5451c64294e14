import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { listNamespaceQueues } from '@taskyard/api/wire';
import { KubeHarness } from './support/kube-harness.js';
import { waitFor } from './support/wait-for.js';
import { readPolicy } from './support/read-policy.js';

type Env = { name: string; value?: string }[];
const workerEnv = (d: { spec?: Record<string, unknown> } | undefined) =>
  Object.fromEntries(((d?.spec as { template: { spec: { containers: { env: Env }[] } } }).template.spec.containers[0]?.env ?? []).map((e) => [e.name, e.value]));

/** Queue identity is namespace + name: one operator watching all namespaces keeps equal names apart. */
describe('two TaskQueues of the same name in two namespaces', () => {
  let h: KubeHarness;
  let a: string;
  let b: string;
  before(async () => {
    h = await KubeHarness.create('ns');
    a = h.namespace;
    b = await h.extraNamespace('b');
    await h.startOperator([], {}, { allNamespaces: true });
    const queue = (concurrency: number, paused: boolean, deletionPolicy: string) => ({
      apiVersion: 'taskyard.dev/v1alpha1',
      kind: 'TaskQueue',
      metadata: { name: 'orders' },
      spec: { concurrency, paused, deletionPolicy },
    });
    await h.createIn(a, queue(2, false, 'Retain'));
    await h.createIn(b, queue(5, true, 'Delete'));
    const pool = {
      apiVersion: 'taskyard.dev/v1alpha1',
      kind: 'WorkerPool',
      metadata: { name: 'orders-workers' },
      spec: {
        queues: ['orders'],
        bundle: { configMap: { name: 'b', key: 'b.mjs' } },
        autoscaling: { minReplicas: 0, maxReplicas: 5, targetBacklogPerReplica: 1, pollSeconds: 1, scaleDownDelaySeconds: 60, idleSecondsBeforeZero: 60 },
      },
    };
    await h.createIn(a, pool);
    await h.createIn(b, pool);
  });
  after(async () => h?.cleanup());

  it('get separate Redis policy keys, each with its own spec', async () => {
    const policyA = await waitFor(`policy of ${a}/orders`, () => readPolicy(h, h.ref('orders', a)));
    const policyB = await waitFor(`policy of ${b}/orders`, () => readPolicy(h, h.ref('orders', b)));
    assert.notEqual(h.keys.policy(h.ref('orders', a)), h.keys.policy(h.ref('orders', b)));
    assert.equal(policyA.concurrency, 2);
    assert.equal(policyA.paused, false);
    assert.equal(policyB.concurrency, 5);
    assert.equal(policyB.paused, true);
    // The BullMQ queues are two queues too.
    await waitFor('global concurrency of each', async () => (await h.queue('orders', { namespace: a }).getGlobalConcurrency()) === 2 && (await h.queue('orders', { namespace: b }).getGlobalConcurrency()) === 5);
    assert.equal(await h.queue('orders', { namespace: a }).isPaused(), false);
    assert.equal(await h.queue('orders', { namespace: b }).isPaused(), true);
    // Each namespace lists its own queue.
    const listed = (await listNamespaceQueues(h.redis, h.keys, '*')).map((r) => `${r.namespace}/${r.name}`).sort();
    assert.deepEqual(listed, [`${a}/orders`, `${b}/orders`].sort());
  });

  it('give each pool its own namespace, and scale each on its own queue only', async () => {
    const deploymentIn = (ns: string) => h.client.getOrUndefined<{ spec?: Record<string, unknown> & { replicas?: number } }>(`/apis/apps/v1/namespaces/${ns}/deployments/orders-workers`);
    await waitFor('both Deployments at 0', async () => (await deploymentIn(a))?.spec?.replicas === 0 && (await deploymentIn(b))?.spec?.replicas === 0);
    assert.equal(workerEnv(await deploymentIn(a)).TASKYARD_NAMESPACE, a);
    assert.equal(workerEnv(await deploymentIn(b)).TASKYARD_NAMESPACE, b);

    await h.queue('orders', { namespace: a }).addBulk(Array.from({ length: 3 }, (_, i) => ({ name: 'ship', data: { i } })));
    await waitFor(`${a}'s pool at 3`, async () => (await deploymentIn(a))?.spec?.replicas === 3);
    // The pool of the other namespace polls every second at zero: several polls later it is still asleep.
    await new Promise((r) => setTimeout(r, 4000));
    assert.equal((await deploymentIn(b))?.spec?.replicas, 0, `${b}'s pool must not wake for ${a}'s tasks`);
    const status = await waitFor('counts in each status', async () => {
      const qa = await h.client.getOrUndefined<{ status?: { counts?: { waiting?: number } } }>(`/apis/taskyard.dev/v1alpha1/namespaces/${a}/taskqueues/orders`);
      const qb = await h.client.getOrUndefined<{ status?: { counts?: { waiting?: number } } }>(`/apis/taskyard.dev/v1alpha1/namespaces/${b}/taskqueues/orders`);
      return qa?.status?.counts?.waiting === 3 && qb?.status?.counts ? { a: qa.status.counts, b: qb.status.counts } : undefined;
    });
    assert.equal(status.b.waiting, 0);
  });

  it('deleting one (deletionPolicy Delete) leaves the other namespace\'s queue alone', async () => {
    await h.client.delete(`/apis/taskyard.dev/v1alpha1/namespaces/${b}/taskqueues/orders`);
    await waitFor(`${b}/orders gone`, async () => (await h.client.getOrUndefined(`/apis/taskyard.dev/v1alpha1/namespaces/${b}/taskqueues/orders`)) === undefined);
    assert.equal(await readPolicy(h, h.ref('orders', b)), undefined);
    assert.deepEqual(await h.redis.smembers(h.keys.queues(b)), []);
    assert.equal((await readPolicy(h, h.ref('orders', a)))?.concurrency, 2);
    assert.equal(await h.queue('orders', { namespace: a }).count(), 3);
    assert.deepEqual(await h.redis.smembers(h.keys.queues(a)), ['orders']);
  });
});
