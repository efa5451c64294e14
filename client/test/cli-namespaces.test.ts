import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { REDIS_URL, deleteKeys, rand, taskyard, taskyardJson } from './cli-test-kit.js';

/** Every key under the prefix, sorted: to prove a command wrote nothing. */
async function keysOf(redis: Redis, prefix: string): Promise<string[]> {
  return (await redis.keys(`${prefix}:*`)).sort();
}

describe('taskyard CLI: namespaces, queue listing, revoke of unknown ids', () => {
  const prefix = rand('tycli-ns');
  const env = { TASKYARD_PREFIX: prefix };
  let redis: Redis;
  before(() => {
    redis = new Redis(REDIS_URL);
  });
  after(async () => {
    redis.disconnect();
    await deleteKeys(REDIS_URL, prefix);
  });

  it('revoke of an id that never existed: clear not-found error, exit 1, nothing created (no default queue, no marker)', async () => {
    const before = await keysOf(redis, prefix);
    const run = await taskyard(['revoke', 'no-such-task-id', '--terminate'], env);
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stderr, /task no-such-task-id not found in the queues of namespace default .*Nothing was written/);
    assert.deepEqual(await keysOf(redis, prefix), before, 'revoke of an unknown id writes nothing');
    const named = await taskyard(['revoke', 'no-such-task-id', '--queue', 'team-z/emails'], env);
    assert.equal(named.code, 1);
    assert.match(named.stderr, /not found in queue team-z\/emails/);
    assert.deepEqual(await keysOf(redis, prefix), before);
  });

  it('queues lists the namespace given by -n / --namespace / $TASKYARD_NAMESPACE, and every namespace with -A, writing nothing', async () => {
    const a = await taskyardJson<{ id: string; queue: string; enqueued: boolean }>(['enqueue', 'send_email', '-n', 'team-a', '--queue', 'emails', '--no-check'], env);
    assert.equal(a.enqueued, true);
    await taskyardJson(['enqueue', 'process_image', '--queue', 'team-b/reports', '--no-check'], env);
    await taskyardJson(['enqueue', 'process_image', '--queue', 'reports', '--no-check'], { ...env, TASKYARD_NAMESPACE: 'team-b' });
    const before = await keysOf(redis, prefix);

    const teamA = await taskyardJson<Array<{ queue: string; namespace: string; prioritized: number }>>(['queues', '--namespace', 'team-a'], env);
    assert.deepEqual(teamA.map((q) => [q.namespace, q.queue, q.prioritized]), [['team-a', 'emails', 1]]);
    const teamB = await taskyard(['queues'], { ...env, TASKYARD_NAMESPACE: 'team-b' });
    assert.equal(teamB.code, 0, teamB.stderr);
    assert.match(teamB.stdout, /^QUEUE\s+WAITING.*\nreports\s+2\s/m);
    const all = await taskyard(['queues', '-A'], env);
    assert.equal(all.code, 0, all.stderr);
    assert.match(all.stdout, /^team-a\/emails\s+1\s/m);
    assert.match(all.stdout, /^team-b\/reports\s+2\s/m);
    const none = await taskyard(['queues'], env);
    assert.match(none.stdout, /no queues in namespace "default" yet/);
    assert.deepEqual(await keysOf(redis, prefix), before, 'queues reads only');

    const status = await taskyardJson<{ state: string; queue: string; name: string }>(['status', a.id, '-n', 'team-a'], env);
    assert.deepEqual([status.state, status.queue, status.name], ['PENDING', 'emails', 'send_email'], 'status finds the queue in the namespace');
    const elsewhere = await taskyardJson<{ name?: string }>(['status', a.id, '-n', 'team-b'], env);
    assert.equal(elsewhere.name, undefined, 'another namespace does not see it');
  });

  it('enqueue with an idempotency key twice: the second says nothing was enqueued, with the same id', async () => {
    const args = ['enqueue', 'send_email', '--queue', 'team-a/emails', '--idempotency-key', 'order-1', '--no-check'];
    const first = await taskyardJson<{ id: string; enqueued: boolean }>(args, env);
    const second = await taskyard([...args, '--json'], env);
    assert.equal(second.code, 0, second.stderr);
    const parsed = JSON.parse(second.stdout) as { id: string; enqueued: boolean };
    assert.deepEqual([first.enqueued, parsed.enqueued, parsed.id], [true, false, first.id]);
    assert.match(second.stderr, /already exists; nothing was enqueued/);
  });
});
