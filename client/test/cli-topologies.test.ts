import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { connectRedis, scanKeys } from '@taskyard/api/wire';
import { rand, taskyard, taskyardJson } from './cli-test-kit.js';

/**
 * The CLI on the other URL forms, against the real Sentinel group and Cluster that
 * scripts/with-redis-topologies.sh starts for the unit tier (scripts/run-tests.sh unit does).
 */
const TOPOLOGIES: Array<[string, string | undefined]> = [
  ['Redis Cluster (redis-cluster://)', process.env.TASKYARD_TEST_CLUSTER_URL],
  ['Sentinel group (redis-sentinel://)', process.env.TASKYARD_TEST_SENTINEL_URL],
];

for (const [topology, url] of TOPOLOGIES) {
  describe(`taskyard CLI on a ${topology}`, () => {
    const prefix = rand('tycli-topo');
    const env = { TASKYARD_PREFIX: prefix, REDIS_URL: url ?? '' };
    after(async () => {
      if (!url) return;
      const conn = connectRedis(url, { role: 'operator' });
      try {
        for (const key of await scanKeys(conn, `${prefix}:*`)) await conn.del(key);
      } finally {
        conn.disconnect();
      }
    });

    it('enqueues once per idempotency key, lists queues per namespace and of all (-A), finds and revokes a task by id', async () => {
      assert.ok(url, 'run under scripts/with-redis-topologies.sh (scripts/run-tests.sh unit starts it)');
      const first = await taskyardJson<{ id: string; enqueued: boolean }>(['enqueue', 'send_email', '--queue', 'team-a/emails', '--idempotency-key', 'k1', '--no-check'], env);
      const second = await taskyardJson<{ id: string; enqueued: boolean }>(['enqueue', 'send_email', '--queue', 'team-a/emails', '--idempotency-key', 'k1', '--no-check'], env);
      assert.deepEqual([first.enqueued, second.enqueued, second.id], [true, false, first.id]);
      const other = await taskyardJson<{ id: string }>(['enqueue', 'process_image', '-n', 'team-b', '--queue', 'reports', '--no-check'], env);

      const all = await taskyard(['queues', '-A'], env);
      assert.equal(all.code, 0, all.stderr);
      assert.match(all.stdout, /^team-a\/emails\s+1\s/m);
      assert.match(all.stdout, /^team-b\/reports\s+1\s/m);
      const teamB = await taskyardJson<Array<{ namespace: string; queue: string }>>(['queues', '-n', 'team-b'], env);
      assert.deepEqual(teamB.map((q) => `${q.namespace}/${q.queue}`), ['team-b/reports']);

      const status = await taskyardJson<{ state: string; queue: string }>(['status', other.id, '-n', 'team-b'], env);
      assert.deepEqual([status.state, status.queue], ['PENDING', 'reports']);
      const revoke = await taskyard(['revoke', other.id, '-n', 'team-b'], env);
      assert.equal(revoke.code, 0, revoke.stderr);
      assert.equal((await taskyardJson<{ state: string }>(['status', other.id, '-n', 'team-b'], env)).state, 'REVOKED');
      const unknown = await taskyard(['revoke', 'no-such-id', '-n', 'team-b'], env);
      assert.equal(unknown.code, 1);
      assert.match(unknown.stderr, /not found/);
    });
  });
}
