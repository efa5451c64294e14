// The operator's Redis path (RedisConnections → connectRedis role operator → BullMQ Queue, applyQueueSettings,
// readQueueCounts, the wire's liveWorkers) against a real Sentinel group and a real Cluster (scripts/with-redis-topologies.sh).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, describe, it } from 'node:test';
import { resolveQueuePolicy } from '@taskyard/api';
import { askNode, clusterUrl, currentSentinelMaster, sentinelUrl } from '@taskyard/api/test-support';
import { bullQueueName, liveWorkers, taskyardKeys, type QueueRef } from '@taskyard/api/wire';
import { applyQueueSettings } from '../src/redis/apply-queue-settings.js';
import { readQueueCounts } from '../src/redis/queue-counts.js';
import { RedisConnections } from '../src/redis/redis-connections.js';

const prefix = 'taskyard';
const keys = taskyardKeys(prefix);
const connections = new RedisConnections();
after(() => connections.close());

/** What one TaskQueue reconcile does with Redis, through the operator's own connection objects. */
async function reconcileRedis(url: string, ref: QueueRef, spec: Parameters<typeof resolveQueuePolicy>[0]) {
  const policy = resolveQueuePolicy(spec);
  const changes = await applyQueueSettings(connections.connection(url), connections.queue(url, prefix, ref), prefix, ref, policy);
  const counts = await readQueueCounts(connections.queue(url, prefix, ref), connections.queue(url, prefix, ref, true));
  const workers = await liveWorkers(connections.connection(url), keys, ref.namespace);
  return { policy, changes, counts, workers };
}

describe('operator: Redis through a redis-sentinel:// URL', () => {
  it('applies a queue policy on the master the sentinels name, and reads counts back', async () => {
    const ref = { namespace: `op-${randomUUID().slice(0, 8)}`, name: 'emails' };
    const url = sentinelUrl();
    const first = await reconcileRedis(url, ref, { paused: true, concurrency: 3, rateLimit: { max: 10, duration: '1s' } });
    assert.deepEqual(first.changes.sort(), ['concurrency', 'paused', 'policy', 'rateLimit']);
    assert.equal(first.counts.waiting, 0);
    assert.deepEqual(first.workers, []);

    const master = await currentSentinelMaster();
    assert.equal(await askNode(master, 'GET', keys.policy(ref)), JSON.stringify(first.policy), 'the policy is on the current master');
    assert.equal(await askNode(master, 'SISMEMBER', keys.queues(ref.namespace), ref.name), 1);

    // Level-triggered: a second pass reads Redis back through the sentinel URL and changes nothing.
    const second = await reconcileRedis(url, ref, { paused: true, concurrency: 3, rateLimit: { max: 10, duration: '1s' } });
    assert.deepEqual(second.changes, []);
    const resumed = await reconcileRedis(url, ref, {});
    assert.deepEqual(resumed.changes.sort(), ['concurrency', 'policy', 'rateLimit', 'resumed']);
  });
});

describe('operator: Redis through a redis-cluster:// URL', () => {
  it('applies the policies of queues on several slots and reads their counts (BullMQ scripts in one slot each)', async () => {
    const url = clusterUrl();
    const namespace = `op-${randomUUID().slice(0, 8)}`;
    const refs = ['a', 'b', 'c', 'd'].map((name) => ({ namespace, name }));
    const conn = connections.connection(url);
    const slots = new Set(await Promise.all(refs.map((r) => conn.call('CLUSTER', 'KEYSLOT', bullQueueName(r)))));
    assert.ok(slots.size > 1, 'the test queues live on more than one slot');
    for (const ref of refs) {
      const { changes, counts } = await reconcileRedis(url, ref, { paused: true, concurrency: 2 });
      assert.deepEqual(changes.sort(), ['concurrency', 'paused', 'policy']);
      assert.equal(counts.dead, 0);
      assert.equal(await conn.get(keys.policy(ref)), JSON.stringify(resolveQueuePolicy({ paused: true, concurrency: 2 })));
    }
    assert.deepEqual((await conn.smembers(keys.queues(namespace))).sort(), ['a', 'b', 'c', 'd']);
  });
});
