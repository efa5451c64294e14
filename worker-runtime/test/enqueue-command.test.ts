import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { scheduleTaskId } from '@taskyard/api';
import { jobNameTick } from '../src/job-name-tick.js';
import { REDIS_URL, TestWorld, WORKER_BIN } from './helpers.js';

const run = promisify(execFile);

describe('taskyard-worker enqueue (beat CronJob ticks)', () => {
  let world: TestWorld;
  beforeEach(() => {
    world = new TestWorld();
  });
  afterEach(() => world.cleanup());

  async function enqueue(...args: string[]): Promise<Record<string, unknown>> {
    const { stdout } = await run(process.execPath, [WORKER_BIN, 'enqueue', '--redis-url', REDIS_URL, '--prefix', world.prefix, '--namespace', world.namespace, ...args]);
    return JSON.parse(stdout) as Record<string, unknown>;
  }

  it('enqueues once per tick: a doubled beat pod for the same Job name adds nothing', async () => {
    const minute = 29_000_000;
    const common = ['--queue', world.queue, '--task', 'add', '--args', '[20, 22]', '--schedule-id', 'uid-1234', '--job-name', `nightly-${minute}`];
    const first = await enqueue(...common);
    const second = await enqueue(...common);
    const expectedId = scheduleTaskId('uid-1234', new Date(minute * 60_000));
    assert.deepEqual(first, { taskId: expectedId, namespace: world.namespace, queue: world.queue, task: 'add', tick: new Date(minute * 60_000).toISOString(), enqueued: true });
    assert.deepEqual(second, { ...first, enqueued: false });
    const counts = await world.client.queueCounts(world.queue);
    assert.equal(counts.waiting + counts.prioritized, 1, 'one task queued (every task has a priority, default 5)');
    await world.worker();
    assert.equal(await world.client.result(expectedId, { timeout: 20_000 }), 42);
  });

  it('--tick in the same minute gives the same task id; options.expires counts from the tick', async () => {
    const a = await enqueue('--queue', world.queue, '--task', 'echo', '--kwargs', '{"k":1}', '--options', '{"expires":"1h","priority":3}', '--schedule-id', 'uid-9', '--tick', '2026-01-01T10:05:00Z');
    const b = await enqueue('--queue', world.queue, '--task', 'echo', '--schedule-id', 'uid-9', '--tick', '2026-01-01T10:05:42Z');
    assert.equal(a.taskId, b.taskId);
    assert.equal(b.enqueued, false);
    const job = await world.client.queue(world.queue).getJob(String(a.taskId));
    assert.equal(job?.data.expires, Date.parse('2026-01-01T11:05:00Z'));
    assert.equal(job?.data.scheduleId, 'uid-9');
    assert.deepEqual(job?.data.kwargs, { k: 1 });
    assert.equal(job?.opts.priority, 3);
  });

  it('rejects bad input with a clear message and a non-zero exit', async () => {
    const err = await enqueue('--queue', world.queue, '--task', 'add', '--args', '{not json', '--schedule-id', 'u', '--tick', '2026-01-01T00:00:00Z').catch((e: { code: number; stdout: string }) => e);
    assert.equal((err as { code: number }).code, 1);
    assert.match((err as { stdout: string }).stdout, /--args is not valid JSON/);
    const noTick = await enqueue('--queue', world.queue, '--task', 'add', '--schedule-id', 'u').catch((e: { stdout: string }) => e);
    assert.match((noTick as { stdout: string }).stdout, /give --tick ISO or --job-name NAME/);
  });
});

describe('scheduleTaskId and jobNameTick (pure)', () => {
  it('derives a BullMQ-safe id that is equal for every time within one minute', () => {
    const a = scheduleTaskId('0b1c-uid', new Date('2026-03-01T12:34:00.000Z'));
    const b = scheduleTaskId('0b1c-uid', new Date('2026-03-01T12:34:59.999Z'));
    const c = scheduleTaskId('0b1c-uid', new Date('2026-03-01T12:35:00.000Z'));
    assert.equal(a, b);
    assert.notEqual(a, c);
    assert.equal(a, `sched-0b1c-uid-${Math.floor(Date.parse('2026-03-01T12:34:00Z') / 60_000)}`);
    assert.ok(!a.includes(':'));
    assert.notEqual(scheduleTaskId('other', new Date('2026-03-01T12:34:00Z')), a);
  });

  it('rejects an empty or unsafe uid and an invalid date', () => {
    assert.throws(() => scheduleTaskId('', new Date()), /scheduleUid/);
    assert.throws(() => scheduleTaskId('a:b', new Date()), /scheduleUid/);
    assert.throws(() => scheduleTaskId('ok', new Date('nope')), /not a valid date/);
  });

  it('reads the tick from a CronJob Job name suffix (minutes since epoch)', () => {
    assert.equal(jobNameTick('reports-nightly-29483520').toISOString(), new Date(29483520 * 60_000).toISOString());
    assert.throws(() => jobNameTick('manual-run'), /does not end in "-<minutes since epoch>"/);
  });
});
