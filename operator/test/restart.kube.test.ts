import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { KubeHarness } from './support/kube-harness.js';
import type { OperatorProcess } from './support/operator-process.js';
import { waitFor } from './support/wait-for.js';

const LEASE = ['--lease-duration-seconds', '3', '--lease-renew-deadline-seconds', '2', '--lease-retry-seconds', '1'];
const POOLS = 30;

describe('the operator killed mid-reconcile and restarted converges with no duplicates', () => {
  let h: KubeHarness;
  let current: OperatorProcess;
  before(async () => {
    h = await KubeHarness.create('restart');
    await h.create({ apiVersion: 'taskyard.dev/v1alpha1', kind: 'TaskQueue', metadata: { name: 'q' }, spec: {} });
  });
  after(async () => h?.cleanup());

  it('makes exactly one Deployment and one CronJob per object after a crash in the middle', async () => {
    const first = await h.startOperator(LEASE);
    const creations: Promise<unknown>[] = [];
    for (let i = 0; i < POOLS; i++) {
      creations.push(
        h.create({
          apiVersion: 'taskyard.dev/v1alpha1',
          kind: 'WorkerPool',
          metadata: { name: `pool-${i}` },
          spec: { queues: ['q'], replicas: 1 + (i % 3), concurrency: 1 + i, bundle: { configMap: { name: 'b', key: 'b.mjs' } } },
        }),
      );
      creations.push(h.create({ apiVersion: 'taskyard.dev/v1alpha1', kind: 'Schedule', metadata: { name: `sched-${i}` }, spec: { queue: 'q', task: 't', cron: `${i % 60} * * * *` } }));
    }
    await Promise.all(creations);
    await waitFor('some children made', async () => (await h.list('Deployment')).length > 0, 60_000, 20);
    await first.kill();
    const partial = (await h.list('Deployment')).length;

    const second = await h.startOperator(LEASE);
    current = second;
    await waitFor(`${POOLS} Deployments`, async () => (await h.list('Deployment')).length === POOLS, 120_000);
    await waitFor(`${POOLS} CronJobs`, async () => (await h.list('CronJob')).length === POOLS, 120_000);
    // Every pool's status catches up, so the second operator has seen every object.
    await waitFor('all statuses observed', async () => {
      const pools = await h.list('WorkerPool');
      return pools.every((p) => p.status?.observedGeneration === p.metadata.generation);
    }, 120_000);

    const pools = new Map((await h.list('WorkerPool')).map((p) => [p.metadata.name, p]));
    const deployments = await h.list('Deployment');
    assert.equal(deployments.length, POOLS, `no duplicates (the first operator had made ${partial} before it died)`);
    for (const d of deployments) {
      const owner = pools.get(d.metadata.name);
      assert.ok(owner, `Deployment ${d.metadata.name} belongs to a pool`);
      assert.deepEqual(d.metadata.ownerReferences?.map((r) => r.uid), [owner.metadata.uid]);
      const i = Number(d.metadata.name.split('-')[1]);
      assert.equal(d.spec?.replicas, 1 + (i % 3));
      // Both operators rendered the same object: one generation, no rollout caused by the restart.
      assert.equal(d.metadata.generation, 1, `Deployment ${d.metadata.name} was not changed by the restart`);
    }
    const cronJobs = await h.list('CronJob');
    assert.equal(new Set(cronJobs.map((c) => c.metadata.name)).size, POOLS);
    assert.equal(await second.metric('taskyard_operator_leader'), 1);
  });

  it('keeps an autoscaled pool at its size across a restart (no scale-down from a cold cache)', async () => {
    await h.create({
      apiVersion: 'taskyard.dev/v1alpha1',
      kind: 'WorkerPool',
      metadata: { name: 'scaled' },
      spec: {
        queues: ['q'],
        bundle: { configMap: { name: 'b', key: 'b.mjs' } },
        autoscaling: { minReplicas: 0, maxReplicas: 10, targetBacklogPerReplica: 1, pollSeconds: 1, scaleDownDelaySeconds: 600, idleSecondsBeforeZero: 600 },
      },
    });
    await h.queue('q').addBulk(Array.from({ length: 3 }, (_, i) => ({ name: 'w', data: { i } })));
    await waitFor('3 replicas', async () => (await h.get('Deployment', 'scaled'))?.spec?.replicas === 3, 60_000);
    await h.queue('q').drain();
    await waitFor('backlog 0 seen', async () => (await h.get('WorkerPool', 'scaled'))?.status?.backlog === 0, 60_000);
    // Backlog gone, but the scale-down delay is long: the pool must stay at 3 through a crash and restart.
    const seen = new Set<number>();
    let watching = true;
    const watcher = (async () => {
      while (watching) {
        const r = (await h.get('Deployment', 'scaled'))?.spec?.replicas;
        if (r !== undefined) seen.add(r);
        await new Promise((res) => setTimeout(res, 100));
      }
    })();
    await current.kill();
    const next = await h.startOperator(LEASE);
    await waitFor('the new operator leads and polls the pool', async () => ((await next.metric('taskyard_operator_reconcile_total', 'kind="WorkerPool"')) ?? 0) > POOLS + 3, 60_000);
    watching = false;
    await watcher;
    assert.deepEqual([...seen], [3]);
  });
});
