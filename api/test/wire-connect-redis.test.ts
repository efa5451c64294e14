import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createConnection, createServer, type Socket } from 'node:net';
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
      // Known limit: when the failover race of connect-redis.ts (sentinelLifecycle) hits, ioredis
      // rejects the command in flight once with "Connection is closed." before the connection comes
      // back; a second try must then succeed.
      await worker.set(key, 'w', 'PX', 120_000).catch(async (e: Error) => {
        if (!/Connection is closed/.test(e.message)) throw e;
        t.diagnostic('the worker-role write was rejected once with "Connection is closed." (ioredis failover race); retried');
        return worker.set(key, 'w', 'PX', 120_000);
      });
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

/**
 * A TCP proxy in front of one sentinel that can hold new connections unanswered (a sentinel that
 * hangs) and later drop them: it pins a reconnect inside its "ask the sentinels" step.
 */
async function holdableSentinelProxy(targetPort: number) {
  let holding = false;
  const held: Socket[] = [];
  const all = new Set<Socket>();
  const server = createServer((socket) => {
    all.add(socket);
    socket.on('close', () => all.delete(socket));
    socket.on('error', () => {});
    if (holding) {
      held.push(socket);
      return;
    }
    const upstream = createConnection(targetPort, '127.0.0.1');
    upstream.on('error', () => socket.destroy());
    socket.pipe(upstream).pipe(socket);
    socket.on('close', () => upstream.destroy());
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return {
    port: (server.address() as { port: number }).port,
    hold: () => (holding = true),
    heldCount: () => held.length,
    release: () => {
      holding = false;
      for (const s of held.splice(0)) s.destroy();
    },
    /** Stops it, dropping every connection (server.close alone would wait for them). */
    close: () =>
      new Promise<void>((ok) => {
        server.close(() => ok());
        for (const s of all) s.destroy();
      }),
  };
}

describe('wire/connect-redis: a failover announced while a reconnect asks the sentinels', () => {
  it('connects again instead of giving the connection up (ioredis sets status end when +switch-master interrupts that step)', async () => {
    const topology = redisTopologies();
    const [first, ...others] = topology.sentinel.sentinels;
    const proxy = await holdableSentinelProxy(first!.port);
    const url = `redis-sentinel://127.0.0.1:${proxy.port},${others.map((s) => `127.0.0.1:${s.port}`).join(',')}/${topology.sentinel.masterName}`;
    try {
      const conn = await whenReady(open(url, 'client', `ty-test-switch-${randomUUID().slice(0, 6)}`));
      await conn.set('ty:test:switch', '1', 'PX', 60_000);
      const id = Number(await conn.call('CLIENT', 'ID'));
      const master = await currentSentinelMaster(topology);
      // The proxied sentinel now hangs; the connection loses its master link and asks it again.
      proxy.hold();
      await askNode(master, 'CLIENT', 'KILL', 'ID', id);
      await waitFor('the reconnect to ask the held sentinel', 5000, () => proxy.heldCount() > 0);
      // A real failover: the sentinels publish +switch-master to the connection's failover detector.
      // (Asked again while the sentinels still finish an earlier failover or have not yet seen the replicas' links up: INPROG, NOGOODSLAVE.)
      await waitFor('SENTINEL FAILOVER to be accepted', 20_000, async () =>
        (await askNode(others[0]!.port, 'SENTINEL', 'FAILOVER', topology.sentinel.masterName).catch((e: Error) => (/INPROG|NOGOODSLAVE/.test(e.message) ? null : Promise.reject(e)))) === 'OK');
      await waitFor('the sentinels to name a new master', 15_000, async () => (await currentSentinelMaster(topology)) !== master);
      await new Promise((r) => setTimeout(r, 500)); // +switch-master delivered to the detector
      proxy.release(); // the hung question fails now, after the detector closed the connector
      await waitFor('a write through the same connection on the new master', 10_000, async () => (await conn.set('ty:test:switch', '2', 'PX', 60_000).catch(() => null)) === 'OK');
      assert.notEqual(conn.status, 'end');
    } finally {
      proxy.release();
      await proxy.close();
      // The demoted master is a replica of the new one again (the sentinels reconfigure it).
      await waitFor('the group to have two linked replicas', 30_000, async () => {
        const m = await currentSentinelMaster(topology);
        const info = String(await askNode(m, 'INFO', 'replication').catch(() => ''));
        return (info.match(/state=online/g) ?? []).length === 2;
      });
    }
  });
});

describe('wire/connect-redis: closing a Sentinel connection', () => {
  it('lets the process exit after quit() of worker-role, client-role and duplicated connections (BullMQ duplicates for blocking reads)', () => {
    // In a fresh Node process: it must exit by itself once every connection quit, i.e. the failover
    // detector's subscriptions to the sentinels are closed too (ioredis keeps a closing socket 2 s).
    const wire = new URL('../src/wire/index.js', import.meta.url).href;
    const script = `import { connectRedis } from ${JSON.stringify(wire)};
      const ready = (c) => c.status === 'ready' ? c : new Promise((ok) => c.once('ready', () => ok(c)));
      const worker = await ready(connectRedis(process.env.URL, { role: 'worker' }));
      const client = await ready(connectRedis(process.env.URL, { role: 'client' }));
      const dup = await ready(worker.duplicate());
      for (const c of [worker, client, dup]) await c.set('ty:test:quit', '1', 'PX', 1000);
      for (const c of [dup, client, worker]) await c.quit();
      console.log('quit all');`;
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { env: { ...process.env, URL: sentinelUrl() }, timeout: 8000, encoding: 'utf8' });
    assert.match(run.stdout, /quit all/, run.stderr);
    assert.ok(run.status === 0 && run.signal === null, `the process was still alive 8 s after quit() (${run.signal}): ${run.stdout}${run.stderr}`);
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
