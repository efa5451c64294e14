import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { after, describe, it } from 'node:test';
import {
  askNode,
  clusterUrl,
  currentSentinelMaster,
  killNode,
  redisTopologies,
  restartNode,
  sentinelUrl,
  waitFor,
  whenReady,
} from '../test-support/redis-topologies.js';
import { bullQueueName, connectRedis, isCluster, taskyardKeys, type RedisConnection } from '../src/wire/index.js';

const singleUrl = (): string => {
  const url = process.env.REDIS_URL;
  if (!url) throw new Error('REDIS_URL is not set: run the test under scripts/with-redis.sh');
  return url;
};

const opened: RedisConnection[] = [];
/** A connection closed after the file's tests. */
function open(url: string, role: 'worker' | 'client' | 'operator', connectionName?: string): RedisConnection {
  const conn = connectRedis(url, { role, ...(connectionName ? { connectionName } : {}) });
  conn.on('error', () => {}); // reconnects are expected here (failover); commands report errors
  opened.push(conn);
  return conn;
}
after(() => {
  for (const c of opened) c.disconnect();
});

describe('wire/connect-redis: one server (redis://)', () => {
  it('reads and writes, and names the connection in CLIENT LIST', async () => {
    const name = `ty-test-${randomUUID().slice(0, 8)}`;
    const conn = await whenReady(open(singleUrl(), 'client', name));
    await conn.set(`test:${name}`, 'v', 'PX', 10_000);
    assert.equal(await conn.get(`test:${name}`), 'v');
    assert.match(String(await conn.call('CLIENT', 'LIST')), new RegExp(`name=${name}`));
  });

  it('gives a worker connection no retry limit (blocking commands wait out a reconnect) and a client one none of the offline queue', () => {
    const worker = open(singleUrl(), 'worker');
    const client = open(singleUrl(), 'client');
    assert.ok(!isCluster(worker) && !isCluster(client));
    assert.equal(worker.options.maxRetriesPerRequest, null);
    assert.equal(client.options.enableOfflineQueue, false);
  });

  it('makes a client-role command fail fast, not hang, while Redis is down', async () => {
    const port = await new Promise<number>((resolve) => {
      import('node:net').then(({ createServer }) => {
        const s = createServer();
        s.listen(0, '127.0.0.1', () => {
          const p = (s.address() as { port: number }).port;
          s.close(() => resolve(p));
        });
      });
    });
    const conn = open(`redis://127.0.0.1:${port}`, 'client');
    const started = Date.now();
    await assert.rejects(conn.get('k'));
    assert.ok(Date.now() - started < 2000, `rejected after ${Date.now() - started} ms`);
  });
});

describe('wire/connect-redis: Sentinel (redis-sentinel://)', () => {
  it('writes and reads through the sentinels, on the master', async () => {
    const conn = await whenReady(open(sentinelUrl(), 'client'));
    const key = `test:sentinel:${randomUUID()}`;
    await conn.set(key, 'v', 'PX', 60_000);
    assert.equal(await conn.get(key), 'v');
    const role = (await conn.call('ROLE')) as [string, ...unknown[]];
    assert.equal(role[0], 'master');
    const master = await currentSentinelMaster();
    assert.equal(await askNode(master, 'GET', key), 'v', 'the key is on the master the sentinels name');
  });

  it('follows a failover: after the master is SIGKILLed, writes succeed on the new master within 10 s', async (t) => {
    const topology = redisTopologies();
    const worker = await whenReady(open(sentinelUrl(), 'worker', 'ty-test-failover-worker'));
    const client = await whenReady(open(sentinelUrl(), 'client', 'ty-test-failover-client'));
    const before = `test:before:${randomUUID()}`;
    await worker.set(before, 'kept', 'PX', 120_000);
    await worker.call('WAIT', 2, 2000); // both replicas have it before the master dies
    const oldMaster = await currentSentinelMaster(topology);

    await killNode(oldMaster, topology);
    const killedAt = Date.now();
    try {
      // A worker-role command waits out the failover (no retry limit) and lands on the new master.
      const key = `test:after:${randomUUID()}`;
      await worker.set(key, 'w', 'PX', 120_000);
      const workerSeconds = (Date.now() - killedAt) / 1000;
      t.diagnostic(`worker-role write done ${workerSeconds} s after the SIGKILL`);
      assert.ok(workerSeconds < 10, `the worker-role write took ${workerSeconds} s`);
      // A client-role command fails fast during the outage; retried, it succeeds on the new master.
      await waitFor('a client-role write on the new master', 10_000, async () => (await client.set(`${key}:c`, 'c', 'PX', 120_000).catch(() => null)) === 'OK');

      const newMaster = await currentSentinelMaster(topology);
      assert.notEqual(newMaster, oldMaster, 'the sentinels promoted a replica');
      assert.equal(await askNode(newMaster, 'GET', key), 'w');
      assert.equal(await askNode(newMaster, 'GET', `${key}:c`), 'c');
      assert.equal(await worker.get(before), 'kept', 'data written before the failover survives it');
      assert.equal((await worker.call('ROLE') as [string])[0], 'master');
    } finally {
      // Put the group back: the old master returns as a replica of the new one (the sentinels would
      // do the same REPLICAOF within ~10 s; saying it at once keeps the test short).
      await restartNode(oldMaster, topology);
      await askNode(oldMaster, 'REPLICAOF', '127.0.0.1', await currentSentinelMaster(topology));
      await waitFor(`the old master ${oldMaster} to come back as a replica`, 30_000, async () => {
        const info = String(await askNode(oldMaster, 'INFO', 'replication').catch(() => ''));
        return /role:slave/.test(info) && /master_link_status:up/.test(info);
      });
    }
  });
});

describe('wire/connect-redis: closing a Sentinel connection', () => {
  /** Runs `body` in a fresh Node process with `conn` = connectRedis(sentinel URL); true when it exits by itself within 5 s. */
  function exitsAfter(role: string, body: string): { exited: boolean; output: string } {
    const wire = new URL('../src/wire/index.js', import.meta.url).href;
    const script = `import { connectRedis } from ${JSON.stringify(wire)};
      const conn = connectRedis(process.env.URL, { role: ${JSON.stringify(role)} });
      if (conn.status !== 'ready') await new Promise((ready) => conn.once('ready', ready));
      ${body}
      console.log('closed');`;
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { env: { ...process.env, URL: sentinelUrl() }, timeout: 5000, encoding: 'utf8' });
    return { exited: run.status === 0 && run.signal === null, output: `${run.stdout}${run.stderr}` };
  }

  it('lets the process exit after quit(), its failover subscriptions to the sentinels closed too', () => {
    for (const role of ['worker', 'client']) {
      const { exited, output } = exitsAfter(role, "await conn.set('ty:test:quit', '1', 'PX', 1000); await conn.quit();");
      assert.ok(exited, `a ${role}-role Sentinel connection kept the process alive after quit(): ${output}`);
    }
  });

  it('does the same for its duplicates (BullMQ blocking connections and QueueEvents are duplicates)', () => {
    const { exited, output } = exitsAfter('worker', "const dup = conn.duplicate(); await dup.set('ty:test:dup', '1', 'PX', 1000); await dup.quit(); await conn.quit();");
    assert.ok(exited, `a duplicated Sentinel connection kept the process alive after quit(): ${output}`);
  });
});

describe('wire/connect-redis: Cluster (redis-cluster://)', () => {
  const keys = taskyardKeys('taskyard');
  const ns = `t${randomUUID().slice(0, 8)}`;

  it('is a Cluster client that reads and writes', async () => {
    const conn = await whenReady(open(clusterUrl(), 'client'));
    assert.ok(isCluster(conn));
    const key = `test:cluster:${randomUUID()}`;
    await conn.set(key, 'v', 'PX', 60_000);
    assert.equal(await conn.get(key), 'v');
  });

  it('keeps the keys of one queue in one slot, so a multi-key command on them works', async () => {
    const conn = await whenReady(open(clusterUrl(), 'worker'));
    const ref = { namespace: ns, name: 'emails' };
    const queueKeys = [keys.policy(ref), keys.task(ref, 'a'), keys.expiry(ref), keys.rate(ref, 1), `taskyard:${bullQueueName(ref)}:wait`];
    const slots = new Set(await Promise.all(queueKeys.map((k) => conn.cluster('KEYSLOT', k))));
    assert.equal(slots.size, 1, 'one slot for every key of the queue');
    await conn.mset(keys.policy(ref), '{}', keys.task(ref, 'a'), 'x');
    assert.deepEqual(await conn.mget(keys.policy(ref), keys.task(ref, 'a')), ['{}', 'x']);
    // A Lua script with two KEYS of the queue (what BullMQ's scripts do).
    const moved = await conn.eval("redis.call('RPUSH', KEYS[1], ARGV[1]); return redis.call('LMOVE', KEYS[1], KEYS[2], 'LEFT', 'RIGHT')", 2, `taskyard:${bullQueueName(ref)}:wait`, `taskyard:${bullQueueName(ref)}:active`, 'job-1');
    assert.equal(moved, 'job-1');
    await conn.del(keys.policy(ref), keys.task(ref, 'a'), `taskyard:${bullQueueName(ref)}:active`);
  });

  it('refuses a multi-key command across two queues (CROSSSLOT): why no process may MGET across queues', async () => {
    const conn = await whenReady(open(clusterUrl(), 'client'));
    const [a, b] = await queuesOverSlots(conn, ns, 2);
    // Refused by ioredis before sending (auto-pipelining) or by the server (CROSSSLOT).
    await assert.rejects(conn.mget(keys.policy(a!), keys.policy(b!)), /CROSSSLOT|same slot/);
  });

  it('finds every queue of a namespace by SCAN on each master, with queues spread over several masters', async () => {
    const conn = await whenReady(open(clusterUrl(), 'client'));
    assert.ok(isCluster(conn));
    const refs = Array.from({ length: 12 }, (_, i) => ({ namespace: ns, name: `q${i}` }));
    for (const ref of refs) await conn.set(keys.bullMeta(ref), '1', 'PX', 60_000);
    const found = new Set<string>();
    const mastersHolding = new Set<string>();
    for (const master of conn.nodes('master')) {
      let cursor = '0';
      do {
        const [next, batch] = await master.scan(cursor, 'MATCH', keys.bullMetaPattern(ns), 'COUNT', 100);
        cursor = next;
        for (const k of batch) {
          found.add(k);
          mastersHolding.add(`${master.options.host}:${master.options.port}`);
        }
      } while (cursor !== '0');
    }
    assert.deepEqual([...found].sort(), refs.map((r) => keys.bullMeta(r)).sort());
    assert.ok(mastersHolding.size >= 2, `12 queues landed on ${mastersHolding.size} master(s)`);
  });
});

/** `count` queue refs of namespace `ns` whose keys fall in different slots. */
async function queuesOverSlots(conn: RedisConnection, ns: string, count: number): Promise<{ namespace: string; name: string }[]> {
  const bySlot = new Map<number, { namespace: string; name: string }>();
  for (let i = 0; bySlot.size < count; i++) {
    const ref = { namespace: ns, name: `x${i}` };
    bySlot.set(Number(await conn.call('CLUSTER', 'KEYSLOT', bullQueueName(ref))), ref);
  }
  return [...bySlot.values()].slice(0, count);
}
