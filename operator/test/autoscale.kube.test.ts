import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeWorkerHeartbeat } from '@taskyard/api/wire';
import { KubeHarness } from './support/kube-harness.js';
import { waitFor } from './support/wait-for.js';

const POLL_SECONDS = 2;

describe('autoscaling a WorkerPool on queue depth (activation, scale out, scale in, scale to zero)', () => {
  let h: KubeHarness;
  before(async () => {
    h = await KubeHarness.create('autoscale');
    await h.startOperator();
    await h.create({ apiVersion: 'taskyard.dev/v1alpha1', kind: 'TaskQueue', metadata: { name: 'burst' }, spec: {} });
    await h.create({
      apiVersion: 'taskyard.dev/v1alpha1',
      kind: 'WorkerPool',
      metadata: { name: 'burst-workers' },
      spec: {
        queues: ['burst'],
        bundle: { configMap: { name: 'b', key: 'b.mjs' } },
        autoscaling: { minReplicas: 0, maxReplicas: 5, targetBacklogPerReplica: 2, pollSeconds: POLL_SECONDS, scaleDownDelaySeconds: 2, idleSecondsBeforeZero: 4 },
      },
    });
  });
  after(async () => h?.cleanup());

  const replicas = async () => (await h.get('Deployment', 'burst-workers'))?.spec?.replicas;

  it('starts at zero replicas while the queue is empty', async () => {
    await waitFor('Deployment at 0', async () => (await replicas()) === 0);
    const pool = await waitFor('status', () => h.get('WorkerPool', 'burst-workers').then((p) => (p?.status?.desiredReplicas === 0 ? p : undefined)));
    assert.equal(pool.status?.backlog, 0);
  });

  it('scales out to ceil(backlog / target) when 7 tasks are pushed', async () => {
    const queue = h.queue('burst');
    await queue.addBulk(Array.from({ length: 7 }, (_, i) => ({ name: 'work', data: { i } })));
    // Two poll periods is the contract; the wait is longer because the machine is shared.
    await waitFor('4 replicas', async () => (await replicas()) === 4, POLL_SECONDS * 2 * 1000 + 30_000);
    const pool = await waitFor('status says why', () => h.get('WorkerPool', 'burst-workers').then((p) => (p?.status?.desiredReplicas === 4 ? p : undefined)));
    assert.equal(pool.status?.backlog, 7);
    assert.match(String(pool.status?.lastScaleReason), /^ScaleFromZero: scaled up from 0 to 4 \(backlog 7, target 2 per replica/);
    const events = await h.events('burst-workers');
    assert.ok(events.some((e) => e.reason === 'ScaleFromZero'), 'an Event tells the scale');
  });

  it('on scale-in marks busy pods with a higher deletion cost so that idle pods go first', async () => {
    // No node in this tier: the ReplicaSet's pods stay Pending, which is enough for the ReplicaSet's choice.
    const pods = await waitFor('4 pods', async () => {
      const list = (await h.list('Pod', 'taskyard.dev/worker-pool=burst-workers')).filter((p) => !p.metadata.deletionTimestamp);
      return list.length === 4 ? list : undefined;
    });
    const busy = pods[2]?.metadata.name as string;
    // The runtime's registry entry for a worker running two tasks in pod `busy`.
    // Pods cannot run on this tier, so the entry is written with the runtime's own registry writer
    // (api/src/wire/worker-registry.ts), refreshed like its heartbeat while the test runs.
    const now = Date.now();
    const info = { id: 'w-busy', pool: 'burst-workers', pod: busy, namespace: h.namespace, pid: 1, queues: ['burst'], tasks: ['work'], concurrency: 4, active: ['t1', 't2'], startedAt: now, heartbeatAt: now, draining: false };
    await writeWorkerHeartbeat(h.redis, h.keys, info);
    const heartbeat = setInterval(() => void writeWorkerHeartbeat(h.redis, h.keys, { ...info, heartbeatAt: Date.now() }).catch(() => undefined), 5000).unref();

    // Leave 2 tasks: recommendation 1, after the 2 s scale-down delay.
    const queue = h.queue('burst');
    const waiting = await queue.getWaiting();
    await Promise.all(waiting.slice(0, 5).map((j) => j.remove()));
    await waitFor('1 replica', async () => (await replicas()) === 1, 60_000);
    const survivors = await waitFor('one pod left', async () => {
      const list = (await h.list('Pod', 'taskyard.dev/worker-pool=burst-workers')).filter((p) => !p.metadata.deletionTimestamp);
      return list.length === 1 ? list : undefined;
    });
    clearInterval(heartbeat);
    assert.equal(survivors[0]?.metadata.name, busy, 'the pod running tasks was kept');
    assert.equal(survivors[0]?.metadata.annotations?.['controller.kubernetes.io/pod-deletion-cost'], '2');
    const pool = await h.get('WorkerPool', 'burst-workers');
    assert.match(String(pool?.status?.lastScaleReason), /^ScaleDown/);
  });

  it('scales to zero once the queue has been idle for idleSecondsBeforeZero', async () => {
    await h.queue('burst').drain();
    await waitFor('0 replicas', async () => (await replicas()) === 0, 60_000);
    const pool = await waitFor('status', () => h.get('WorkerPool', 'burst-workers').then((p) => (p?.status?.desiredReplicas === 0 ? p : undefined)));
    assert.match(String(pool.status?.lastScaleReason), /^ScaleToZero/);
  });

  it('scales from zero again as soon as one task waits', async () => {
    await h.queue('burst').add('work', { again: true });
    await waitFor('1 replica', async () => (await replicas()) === 1, POLL_SECONDS * 2 * 1000 + 30_000);
  });
});
