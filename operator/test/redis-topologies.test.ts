import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { resolveQueuePolicy } from '@taskyard/api';
import { clusterUrl, sentinelUrl, whenReady } from '@taskyard/api/test-support';
import { listNamespaceQueues, taskyardKeys, type QueueRef } from '@taskyard/api/wire';
import { applyQueueSettings } from '../src/redis/apply-queue-settings.js';
import { readQueueCounts } from '../src/redis/queue-counts.js';
import { RedisConnections } from '../src/redis/redis-connections.js';

// The operator's Redis side (connections, queue settings, counts) on the real topologies of
// scripts/with-redis-topologies.sh: a redis-sentinel:// and a redis-cluster:// URL.
const connections = new RedisConnections();
after(() => connections.close());

for (const [label, url] of [
  ['redis-sentinel://', sentinelUrl],
  ['redis-cluster://', clusterUrl],
] as const) {
  describe(`operator on a ${label} URL`, () => {
    it('applies a TaskQueue\'s settings, publishes its policy per namespace and reads its counts', async () => {
      const prefix = `tyo${randomBytes(3).toString('hex')}`;
      const conn = await whenReady(connections.connection(url()));
      const keys = taskyardKeys(prefix);
      const refs: QueueRef[] = [
        { namespace: 'team-a', name: 'orders' },
        { namespace: 'team-b', name: 'orders' },
      ];
      try {
        for (const [i, ref] of refs.entries()) {
          const policy = resolveQueuePolicy({ concurrency: 2 + i, paused: i === 1 });
          const changes = await applyQueueSettings(conn, connections.queue(url(), prefix, ref), prefix, ref, policy);
          assert.ok(changes.includes('policy'), JSON.stringify(changes));
          assert.deepEqual(await applyQueueSettings(conn, connections.queue(url(), prefix, ref), prefix, ref, policy), [], 'idempotent');
        }
        const stored = await Promise.all(refs.map(async (ref) => JSON.parse((await conn.get(keys.policy(ref))) ?? '{}') as { concurrency?: number; paused?: boolean }));
        assert.deepEqual(stored.map((p) => [p.concurrency, p.paused]), [[2, false], [3, true]]);
        assert.equal(await connections.queue(url(), prefix, refs[1] as QueueRef).isPaused(), true);
        assert.equal(await connections.queue(url(), prefix, refs[0] as QueueRef).isPaused(), false);
        assert.deepEqual((await listNamespaceQueues(conn, keys, '*')).map((r) => `${r.namespace}/${r.name}`), ['team-a/orders', 'team-b/orders']);
        await connections.queue(url(), prefix, refs[0] as QueueRef).add('t', { v: 1 });
        const counts = await readQueueCounts(connections.queue(url(), prefix, refs[0] as QueueRef), connections.queue(url(), prefix, refs[0] as QueueRef, true));
        assert.equal(counts.waiting + counts.prioritized, 1);
        assert.equal(counts.dead, 0);
      } finally {
        for (const ref of refs) {
          await connections.queue(url(), prefix, ref).obliterate({ force: true });
          await conn.del(keys.policy(ref));
          await conn.del(keys.queues(ref.namespace));
        }
      }
    });
  });
}
