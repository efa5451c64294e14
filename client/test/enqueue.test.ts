import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import {
  InvalidEnqueueOptionsError,
  NonJsonArgumentError,
  PayloadTooLargeError,
  RedisUnavailableError,
  TaskyardClient,
} from '../src/index.js';

const REDIS_URL = process.env.TASKYARD_TEST_REDIS_URL ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const rand = (p: string): string => `${p}-${randomBytes(4).toString('hex')}`;
/** Tasks waiting to start: every task has a priority (default 5), so they wait in BullMQ's prioritized set. */
const queued = (c: { waiting: number; prioritized: number }): number => c.waiting + c.prioritized;

describe('client SDK enqueue (apply_async)', () => {
  let prefix: string;
  let queue: string;
  let client: TaskyardClient;
  beforeEach(() => {
    prefix = rand('tyclient');
    queue = rand('q');
    client = new TaskyardClient({ redisUrl: REDIS_URL, prefix, defaultQueue: queue });
  });
  afterEach(async () => {
    await client.close();
    const r = new Redis(REDIS_URL);
    const keys = await r.keys(`${prefix}:*`);
    if (keys.length) await r.del(...keys);
    r.disconnect();
  });

  it('writes a task message (name, args, kwargs, enqueuedAt) as a BullMQ job with the task id', async () => {
    const handle = await client.enqueue('emails.send', ['a@b.c'], { kwargs: { subject: 'hi' }, priority: 2 });
    const job = await client.queue(queue).getJob(handle.id);
    assert.ok(job);
    assert.equal(job.name, 'emails.send');
    assert.equal(job.data.v, 1);
    assert.deepEqual(job.data.args, ['a@b.c']);
    assert.deepEqual(job.data.kwargs, { subject: 'hi' });
    assert.equal(typeof job.data.enqueuedAt, 'number');
    assert.equal(job.opts.priority, 2);
    assert.equal((await client.status(handle.id)).state, 'PENDING');
    assert.equal((await client.status(handle.id)).queue, queue, 'status finds the queue without being told');
  });

  it('rejects non-JSON arguments naming the argument, and enqueues nothing', async () => {
    const circular: Record<string, unknown> = { a: 1 };
    circular.self = circular;
    const cases: Array<[unknown[], Record<string, unknown>, RegExp]> = [
      [[1, () => 2], {}, /argument args\[1\] is a function/],
      [[{ n: 10n }], {}, /argument args\[0\]\.n is a BigInt/],
      [[circular], {}, /argument args\[0\]\.self refers back to itself/],
      [[], { when: new Map() }, /argument kwargs\.when is a Map instance/],
      [[NaN], {}, /argument args\[0\] is NaN/],
      [[[1, undefined]], {}, /argument args\[0\]\[1\] is undefined/],
    ];
    for (const [args, kwargs, message] of cases) {
      await assert.rejects(client.enqueue('t', args, { kwargs }), (err: unknown) => {
        assert.ok(err instanceof NonJsonArgumentError);
        assert.match(err.message, message);
        assert.match(err.message, /Nothing was enqueued/);
        return true;
      });
    }
    assert.equal(queued(await client.queueCounts(queue)), 0);
  });

  it('rejects arguments over maxPayloadBytes (default 256 KiB) telling to pass a reference instead', async () => {
    const big = 'x'.repeat(300 * 1024);
    await assert.rejects(client.enqueue('images.process', [big]), (err: unknown) => {
      assert.ok(err instanceof PayloadTooLargeError);
      assert.equal(err.maxBytes, 262144);
      assert.match(err.message, /pass that reference as the argument instead/);
      return true;
    });
    assert.equal(queued(await client.queueCounts(queue)), 0);
    // just under the limit is fine
    await client.enqueue('images.process', ['x'.repeat(200 * 1024)]);
    assert.equal(queued(await client.queueCounts(queue)), 1);
  });

  it('an idempotency key enqueues once', async () => {
    const a = await client.enqueue('payments.charge', [10], { idempotencyKey: 'order-77' });
    const b = await client.enqueue('payments.charge', [10], { idempotencyKey: 'order-77' });
    const c = await client.enqueue('payments.charge', [10], { idempotencyKey: 'order-78' });
    assert.equal(a.id, b.id);
    assert.equal(a.enqueued, true);
    assert.equal(b.enqueued, false, 'the second call learns it added nothing');
    assert.notEqual(a.id, c.id);
    assert.equal(queued(await client.queueCounts(queue)), 2);
  });

  it('routes by task name pattern, first match wins, explicit queue overrides', async () => {
    const routed = new TaskyardClient({
      redisUrl: REDIS_URL,
      prefix,
      defaultQueue: queue,
      routes: [
        ['emails.*', 'mail'],
        [/^reports\./, 'slow'],
        ['emails.urgent', 'never'],
      ],
    });
    try {
      assert.equal((await routed.enqueue('emails.urgent', [])).queue, 'mail');
      assert.equal((await routed.enqueue('reports.daily', [])).queue, 'slow');
      assert.equal((await routed.enqueue('other', [])).queue, queue);
      assert.equal((await routed.enqueue('emails.x', [], { queue: 'vip' })).queue, 'vip');
      assert.equal(queued(await routed.queueCounts('mail')), 1);
    } finally {
      await routed.close();
    }
  });

  it('enqueueBulk validates every item before writing any', async () => {
    await assert.rejects(
      client.enqueueBulk([
        { name: 'a', args: [1] },
        { name: 'b', args: [() => 1] },
      ]),
      NonJsonArgumentError,
    );
    assert.equal(queued(await client.queueCounts(queue)), 0);
    const handles = await client.enqueueBulk([
      { name: 'a', args: [1] },
      { name: 'b', args: [2], options: { countdown: 60_000 } },
    ]);
    assert.equal(handles.length, 2);
    const counts = await client.queueCounts(queue);
    assert.equal(queued(counts), 1);
    assert.equal(counts.delayed, 1);
  });

  it('rejects contradictory or invalid options with the field named', async () => {
    await assert.rejects(client.enqueue('t', [], { countdown: 10, eta: new Date() }), InvalidEnqueueOptionsError);
    await assert.rejects(client.enqueue('t', [], { eta: 'not a date' }), /eta "not a date" is not a valid date/);
    await assert.rejects(client.enqueue('t', [], { taskId: 'a:b' }), /taskId "a:b" must be a non-empty string without ':'/);
    await assert.rejects(client.enqueue('t', 'nope' as unknown as unknown[]), /args must be an array/);
  });

  it('revoke of a waiting task removes it and reports REVOKED', async () => {
    const handle = await client.enqueue('t', [1]);
    await handle.revoke();
    assert.equal((await handle.status()).state, 'REVOKED');
    assert.equal(queued(await client.queueCounts(queue)), 0);
  });

  it('fails fast with RedisUnavailableError when Redis cannot be reached, writing nothing', async () => {
    const down = new TaskyardClient({ redisUrl: 'redis://127.0.0.1:1', prefix, defaultQueue: queue, redisOptions: { retryStrategy: () => null } });
    try {
      await assert.rejects(down.enqueue('t', [1]), (err: unknown) => {
        assert.ok(err instanceof RedisUnavailableError, String(err));
        assert.match(err.message, /Redis unavailable during enqueue/);
        return true;
      });
    } finally {
      await down.close();
    }
    assert.equal(queued(await client.queueCounts(queue)), 0);
  });
});
