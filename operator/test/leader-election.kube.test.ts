import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { KubeHarness } from './support/kube-harness.js';
import type { OperatorProcess } from './support/operator-process.js';
import { waitFor } from './support/wait-for.js';

const LEASE = ['--lease-duration-seconds', '4', '--lease-renew-deadline-seconds', '3', '--lease-retry-seconds', '1'];
const pool = (name: string) => ({
  apiVersion: 'taskyard.dev/v1alpha1',
  kind: 'WorkerPool',
  metadata: { name },
  spec: { queues: ['q'], replicas: 1, bundle: { configMap: { name: 'b', key: 'b.mjs' } } },
});

describe('two operator replicas: one leader, failover', () => {
  let h: KubeHarness;
  let a: OperatorProcess;
  let b: OperatorProcess;
  before(async () => {
    h = await KubeHarness.create('leader');
    a = await h.startOperator(LEASE);
    b = await h.startOperator(LEASE);
    await h.create({ apiVersion: 'taskyard.dev/v1alpha1', kind: 'TaskQueue', metadata: { name: 'q' }, spec: {} });
  });
  after(async () => h?.cleanup());

  const leaders = async () => [(await a.metric('taskyard_operator_leader')) === 1, (await b.metric('taskyard_operator_leader')) === 1];

  it('elects exactly one leader, which alone reconciles', async () => {
    await waitFor('a leader', async () => (await leaders()).includes(true));
    await h.create(pool('first'));
    await waitFor('Deployment first', () => h.get('Deployment', 'first'));
    const [aLeads, bLeads] = await leaders();
    assert.notEqual(aLeads, bLeads, 'exactly one leader');
    const leader = aLeads ? a : b;
    const standby = aLeads ? b : a;
    const lease = await h.get('Lease', 'taskyard-operator');
    assert.ok(String((lease?.spec as { holderIdentity?: string }).holderIdentity).length > 0);
    assert.ok(((await leader.metric('taskyard_operator_reconcile_total', 'kind="WorkerPool"')) ?? 0) > 0);
    assert.equal(await standby.metric('taskyard_operator_reconcile_total', 'kind="WorkerPool"'), undefined, 'the standby reconciled nothing');
    assert.equal((await standby.http('/readyz')).status, 200, 'a standby is ready (it waits for the Lease)');
  });

  it('the standby takes over after the leader dies and reconciles new objects', async () => {
    const [aLeads] = await leaders();
    const leader = aLeads ? a : b;
    const standby = aLeads ? b : a;
    const holderBefore = ((await h.get('Lease', 'taskyard-operator'))?.spec as { holderIdentity?: string }).holderIdentity;
    await leader.kill();
    // Lease duration 4 s + retry 1 s; the wait is longer because the machine is shared.
    await waitFor('standby leads', async () => (await standby.metric('taskyard_operator_leader')) === 1, 30_000);
    const lease = await h.get('Lease', 'taskyard-operator');
    const spec = lease?.spec as { holderIdentity?: string; leaseTransitions?: number };
    assert.notEqual(spec.holderIdentity, holderBefore);
    assert.ok((spec.leaseTransitions ?? 0) >= 1);
    await h.create(pool('second'));
    await waitFor('Deployment second made by the new leader', () => h.get('Deployment', 'second'));
  });
});
