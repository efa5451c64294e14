import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import {
  connectRedis,
  liveWorkers,
  loadQueuePolicy,
  loadRevoked,
  parsePolicyChangedMessage,
  parseRevokeMessage,
  publishQueuePolicy,
  publishRevoke,
  readQueuePolicy,
  removeQueuePolicy,
  removeWorker,
  taskyardKeys,
  tasksServedOn,
  writeWorkerHeartbeat,
  REVOKE_RETENTION_MS,
  type WorkerInfo,
} from '../src/wire/index.js';

const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

describe('wire/worker-registry, wire/revoke and wire/queue-policy against a real Redis', () => {
  const conn = connectRedis(url, { role: 'client' });
  const sub = connectRedis(url, { role: 'worker' });
  const keys = taskyardKeys(`t${randomUUID().slice(0, 8)}`);
  const ns = `ns-${randomUUID().slice(0, 6)}`;
  before(async () => {
    await Promise.all([conn, sub].map((c) => (c.status === 'ready' ? undefined : new Promise((r) => c.once('ready', r)))));
  });
  after(async () => {
    const found = await conn.keys(`${keys.prefix}:*`);
    for (const k of found) await conn.del(k);
    conn.disconnect();
    sub.disconnect();
  });

  const info = (id: string, heartbeatAt: number, extra: Partial<WorkerInfo> = {}): WorkerInfo => ({
    id, pod: 'pod-1', namespace: ns, pid: 1, queues: ['emails'], tasks: ['send'], concurrency: 2, active: [], startedAt: heartbeatAt, heartbeatAt, draining: false, ...extra,
  });

  it('lists the live workers of a namespace with the task names they serve, and not stale or removed ones', async () => {
    const now = Date.now();
    await writeWorkerHeartbeat(conn, keys, info('w-live', now, { tasks: ['send', 'report'] }));
    await writeWorkerHeartbeat(conn, keys, info('w-stale', now - 45_000));
    await writeWorkerHeartbeat(conn, keys, info('w-gone', now));
    await writeWorkerHeartbeat(conn, keys, { ...info('w-other-ns', now), namespace: `${ns}-b` });
    await removeWorker(conn, keys, ns, 'w-gone');
    const live = await liveWorkers(conn, keys, ns, now);
    assert.deepEqual(live.map((w) => w.id), ['w-live']);
    assert.deepEqual(live[0]?.tasks, ['send', 'report']);
    assert.deepEqual([...(tasksServedOn(live, 'emails') ?? [])].sort(), ['report', 'send']);
    assert.equal(tasksServedOn(live, 'reports'), undefined);
  });

  it('refuses to write a worker entry without its task names', async () => {
    const bad = { ...info('w-bad', Date.now()) } as Partial<WorkerInfo>;
    delete bad.tasks;
    await assert.rejects(writeWorkerHeartbeat(conn, keys, bad as WorkerInfo), /tasks/);
  });

  it('stores a revoke, publishes it on the namespace channel and loads it back', async () => {
    const got = new Promise<string>((resolve) => sub.once('message', (_ch: string, m: string) => resolve(m)));
    await sub.subscribe(keys.revokeChannel(ns));
    await publishRevoke(conn, keys, ns, { id: 'task-1', terminate: true });
    assert.deepEqual(parseRevokeMessage(await got), { id: 'task-1', terminate: true });
    await sub.unsubscribe(keys.revokeChannel(ns));
    assert.deepEqual(await loadRevoked(conn, keys, ns), ['task-1']);
    assert.deepEqual(await loadRevoked(conn, keys, ns, Date.now() + REVOKE_RETENTION_MS + 1000), []);
    assert.deepEqual(await loadRevoked(conn, keys, `${ns}-b`), []);
    assert.equal(parseRevokeMessage('not json'), undefined);
    assert.equal(parseRevokeMessage('{"terminate":true}'), undefined);
  });

  it('publishes a schema-checked policy once, announces the change and reads it with ms durations', async () => {
    const ref = { namespace: ns, name: 'emails' };
    assert.deepEqual(await loadQueuePolicy(conn, keys, ref), { policy: readQueuePolicy(undefined), declared: false });
    const got = new Promise<string>((resolve) => sub.once('message', (_ch: string, m: string) => resolve(m)));
    await sub.subscribe(keys.policyChanged(ns));
    assert.equal(await publishQueuePolicy(conn, keys, ref, { defaults: { resultTTL: '2s' }, paused: true }), true);
    assert.equal(parsePolicyChangedMessage(await got), 'emails');
    assert.equal(await publishQueuePolicy(conn, keys, ref, { defaults: { resultTTL: '2s' }, paused: true }), false);
    const loaded = await loadQueuePolicy(conn, keys, ref);
    assert.equal(loaded.declared, true);
    assert.equal(loaded.policy.resultTTL, 2000);
    assert.equal(loaded.policy.paused, true);
    assert.ok((await conn.smembers(keys.queues(ns))).includes('emails'));
    await assert.rejects(publishQueuePolicy(conn, keys, ref, { paused: 'yes' }), /paused/);
    await removeQueuePolicy(conn, keys, ref);
    assert.equal((await loadQueuePolicy(conn, keys, ref)).declared, false);
    await sub.unsubscribe(keys.policyChanged(ns));
  });

  it('reads a policy key that is not JSON as the defaults and says so', async () => {
    const ref = { namespace: ns, name: 'broken' };
    await conn.set(keys.policy(ref), '{nope');
    const loaded = await loadQueuePolicy(conn, keys, ref);
    assert.deepEqual(loaded.policy, readQueuePolicy(undefined));
    assert.match(loaded.problem ?? '', /not JSON/);
  });
});
