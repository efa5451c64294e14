import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { clusterUrl, sentinelUrl, whenReady } from '@taskyard/api/test-support';
import { connectRedis, isCluster, taskyardKeys, type RedisConnection } from '@taskyard/api/wire';
import type { ConsoleHandle } from '../src/index.js';
import type { QueueView } from '../src/schemas/queue-schemas.js';
import type { TaskDetail } from '../src/schemas/task-schemas.js';
import { call, randomPrefix, startTestConsole } from './helpers/console-fixture.js';

// The console on the real topologies of scripts/with-redis-topologies.sh (scripts/run-tests.sh unit
// starts them): a redis-sentinel:// URL and a redis-cluster:// URL, through the console's HTTP API.
const handles: ConsoleHandle[] = [];
const cleanups: Array<() => Promise<void>> = [];
after(async () => {
  for (const h of handles) await h.close();
  for (const c of cleanups) await c();
});

/** Deletes every key of `prefix` on every master (SCAN per node: keys of a Cluster live on many). */
async function dropEverywhere(url: string, prefix: string): Promise<void> {
  const conn = await whenReady(connectRedis(url, { role: 'operator' }));
  const servers: RedisConnection[] = isCluster(conn) ? conn.nodes('master') : [conn];
  for (const server of servers) {
    let cursor = '0';
    do {
      const [next, keys] = await server.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      for (const key of keys) await server.del(key);
    } while (cursor !== '0');
  }
  conn.disconnect();
}

async function consoleOn(url: string): Promise<{ handle: ConsoleHandle; prefix: string }> {
  const prefix = randomPrefix();
  const handle = await startTestConsole(prefix, { redisUrl: url });
  handles.push(handle);
  cleanups.push(() => dropEverywhere(url, prefix));
  return { handle, prefix };
}

const enqueue = async (base: string, queue: string, args: unknown[]): Promise<{ id: string; queue: string }> => {
  const r = await call<{ id: string; queue: string }>(base, 'POST', '/api/tasks', { name: 'reports.build', args, queue });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body;
};

describe('console on a redis-sentinel:// URL', () => {
  test('is ready, enqueues, reads a task back and lists its queue', async () => {
    const { handle } = await consoleOn(sentinelUrl());
    assert.equal((await fetch(`${handle.url}/readyz`)).status, 200);
    const t = await enqueue(handle.url, 'shop/emails', ['hello']);
    const detail = await call<TaskDetail>(handle.url, 'GET', `/api/tasks/${encodeURIComponent(t.id)}?namespace=shop`);
    assert.equal(detail.status, 200);
    assert.equal(detail.body.queue, 'shop/emails');
    assert.deepEqual(detail.body.args, ['hello']);
    const queues = await call<{ items: QueueView[] }>(handle.url, 'GET', '/api/queues');
    assert.deepEqual(queues.body.items.map((q) => q.name), ['shop/emails']);
  });
});

describe('console on a redis-cluster:// URL', () => {
  test('finds the queues of every namespace on every master, and reads each queue in its slot', async () => {
    const { handle, prefix } = await consoleOn(clusterUrl());
    const names = Array.from({ length: 8 }, (_, i) => `ns${i}/jobs`);
    for (const [i, name] of names.entries()) await enqueue(handle.url, name, [i]);
    // The queues' keys really are spread over several masters (else this test would prove nothing).
    const conn = await whenReady(connectRedis(clusterUrl(), { role: 'operator' }));
    const keys = taskyardKeys(prefix);
    const mastersHolding = [];
    for (const node of isCluster(conn) ? conn.nodes('master') : []) {
      const [, found] = await node.scan('0', 'MATCH', keys.bullMetaPattern('*'), 'COUNT', 10_000);
      if (found.length > 0) mastersHolding.push(node);
    }
    conn.disconnect();
    assert.ok(mastersHolding.length >= 2, `queues on ${mastersHolding.length} master(s)`);

    // A console started afterwards knows them only through discovery (SCAN on every master).
    const fresh = await startTestConsole(prefix, { redisUrl: clusterUrl() });
    handles.push(fresh);
    const r = await call<{ items: QueueView[] }>(fresh.url, 'GET', '/api/queues');
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.deepEqual(r.body.items.map((q) => q.name), names);
    for (const q of r.body.items) assert.equal(q.counts.waiting + q.counts.prioritized, 1, q.name);
    const workers = await call<{ items: unknown[] }>(fresh.url, 'GET', '/api/workers');
    assert.equal(workers.status, 200);
  });
});
