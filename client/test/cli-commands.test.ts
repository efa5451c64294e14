import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TaskStatus } from '../src/task-status.js';
import { EXAMPLE_BUNDLE, REDIS_URL, deleteKeys, eventually, rand, startDev, taskyard, taskyardJson, type DevProcess } from './cli-test-kit.js';

interface QueueRow { queue: string; waiting: number; active: number; delayed: number; completed: number; failed: number; dead: number; workers: number }
interface DeadRow { id: string; taskId: string; message: { name: string; args: unknown[] }; error: { name: string; message: string; stack?: string } }

describe('taskyard CLI against a real worker (taskyard dev examples/bundle)', () => {
  const prefix = rand('tycli');
  const queue = rand('q');
  const env = { TASKYARD_PREFIX: prefix };
  let dev: DevProcess;
  const enqueue = async (args: string[]): Promise<string> => {
    const run = await taskyard(['enqueue', ...args, '--queue', queue], env);
    assert.equal(run.code, 0, run.stderr);
    return run.stdout.trim();
  };
  const status = (id: string): Promise<TaskStatus> => taskyardJson<TaskStatus>(['status', id], env);

  before(async () => {
    dev = await startDev(EXAMPLE_BUNDLE, ['--queues', queue, '--redis', REDIS_URL, '--prefix', prefix]);
  });
  after(async () => {
    await dev?.stop();
    await deleteKeys(REDIS_URL, prefix);
  });

  it('enqueue prints the task id; result prints the return value; status shows SUCCESS and progress', async () => {
    const id = await enqueue(['process_image', '--args', '["cat.png", {"width": 32, "height": 32, "passes": 4}]']);
    assert.match(id, /^[0-9a-f-]{36}$/);
    const result = await taskyard(['result', id, '--timeout', '30'], env);
    assert.equal(result.code, 0, result.stderr);
    const value = JSON.parse(result.stdout) as { imageId: string; width: number; passes: number; checksum: number };
    assert.equal(value.imageId, 'cat.png');
    assert.equal(value.width, 32);
    assert.equal(value.passes, 4);
    assert.equal(typeof value.checksum, 'number');
    const human = await taskyard(['status', id], env);
    assert.equal(human.code, 0);
    assert.match(human.stdout, /^state:\s+SUCCESS$/m);
    assert.match(human.stdout, /^task:\s+process_image$/m);
    assert.match(human.stdout, /^progress:\s+\{"percent":100,"pass":4,"passes":4\}$/m);
    const json = await status(id);
    assert.equal(json.state, 'SUCCESS');
    assert.deepEqual(json.result, value);
  });

  it('passes --kwargs to the task (sync_data fails twice by default; failures=0 succeeds at once)', async () => {
    const id = await enqueue(['sync_data', '--args', '["crm"]', '--kwargs', '{"failures": 0}']);
    const run = await taskyardJson<{ state: string; result: { attempt: number } }>(['result', id, '--timeout', '30'], env);
    assert.equal(run.state, 'SUCCESS');
    assert.equal(run.result.attempt, 1);
  });

  it('--countdown delays the task: PENDING first, result --timeout exits 3, then it runs', async () => {
    const id = await enqueue(['process_payment', '--args', '["p-later", 500, "ok"]', '--countdown', '10']);
    assert.equal((await status(id)).state, 'PENDING');
    const early = await taskyard(['result', id, '--timeout', '0.5'], env);
    assert.equal(early.code, 3);
    assert.match(early.stderr, new RegExp(`task ${id} is still PENDING after 0.5 s: wait longer with --timeout`));
    const late = await taskyardJson<{ state: string; result: { receipt: string } }>(['result', id, '--timeout', '30'], env);
    assert.equal(late.result.receipt, 'rcpt-p-later');
  });

  it('--eta runs the task no earlier than the given time', async () => {
    const eta = new Date(Date.now() + 4000);
    const id = await enqueue(['process_payment', '--args', '["p-eta", 100, "ok"]', '--eta', eta.toISOString()]);
    await taskyardJson(['result', id, '--timeout', '30'], env);
    const s = await status(id);
    assert.equal(s.state, 'SUCCESS');
    assert.ok((s.startedAt ?? 0) >= eta.getTime() - 5, `started ${s.startedAt} before eta ${eta.getTime()}`);
  });

  it('--expires: a task not started in time never runs and reports REVOKED (expired)', async () => {
    const id = await enqueue(['process_payment', '--args', '["p-exp", 100, "ok"]', '--countdown', '1.5', '--expires', '0.5']);
    const run = await taskyard(['result', id, '--timeout', '30', '--json'], env);
    assert.equal(run.code, 1);
    assert.deepEqual(JSON.parse(run.stdout), { id, state: 'REVOKED', reason: 'expired' });
    const human = await taskyard(['result', id, '--timeout', '5'], env);
    assert.equal(human.code, 1);
    assert.match(human.stderr, /was not started before it expired; it has no result/);
  });

  it('--idempotency-key: the same key twice gives the same task, run once', async () => {
    const key = rand('order');
    const first = await enqueue(['process_payment', '--args', '["p-idem", 100, "ok"]', '--idempotency-key', key]);
    const second = await enqueue(['process_payment', '--args', '["p-idem", 100, "ok"]', '--idempotency-key', key]);
    assert.equal(second, first);
    await taskyardJson(['result', first, '--timeout', '30'], env);
    const third = await taskyardJson<{ id: string; enqueued: boolean }>(['enqueue', 'process_payment', '--queue', queue, '--idempotency-key', key], env);
    assert.deepEqual(third, { id: first, queue, name: 'process_payment', enqueued: false });
    assert.equal((await status(first)).attemptsMade, 1);
  });

  it('--priority is accepted and the task runs', async () => {
    const id = await enqueue(['process_payment', '--args', '["p-prio", 100, "ok"]', '--priority', '1']);
    const run = await taskyardJson<{ state: string }>(['result', id, '--timeout', '30'], env);
    assert.equal(run.state, 'SUCCESS');
  });

  it('revoke of a waiting task: it never runs and reports REVOKED', async () => {
    const id = await enqueue(['process_payment', '--args', '["p-rev", 100, "ok"]', '--countdown', '60']);
    const run = await taskyard(['revoke', id], env);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, `revoked ${id} (was PENDING)\n`);
    const s = await status(id);
    assert.equal(s.state, 'REVOKED');
    assert.equal(s.revokedReason, 'revoked');
  });

  it('revoke --terminate aborts a running task in the worker process', async () => {
    const id = await enqueue(['process_image', '--args', '["huge.png", {"width": 1500, "height": 1500, "passes": 400}]']);
    await eventually('the task to start and report progress', async () => {
      const s = await status(id);
      return s.state === 'STARTED' && s.progress !== undefined ? s : undefined;
    });
    const run = await taskyard(['revoke', id, '--terminate'], env);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /was STARTED; running attempt aborted/);
    const result = await taskyard(['result', id, '--timeout', '30'], env);
    assert.equal(result.code, 1);
    assert.match(result.stderr, new RegExp(`task ${id} was revoked; it has no result`));
    const s = await status(id);
    assert.equal(s.state, 'REVOKED');
    assert.ok(((s.progress as { percent: number }).percent) < 100, 'the task must not have finished');
  });

  it('an unknown task name fails with UnknownTask naming the tasks the bundle has, and lands in the dead letters', async () => {
    // --no-check: skip the CLI's own check against the task names live workers publish, to see what
    // the worker itself does with a name its bundle lacks (e.g. a task enqueued by another client).
    const id = await enqueue(['send_emial', '--args', '["a@example.com"]', '--no-check']);
    const run = await taskyard(['result', id, '--timeout', '30'], env);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /failed: UnknownTask: no task named "send_emial" in this worker's bundle \(it has: generate_report, process_image, process_payment, send_email, sync_data\)/);
    const dead = await taskyardJson<DeadRow[]>(['dead', 'list', queue], env);
    assert.ok(dead.some((d) => d.taskId === id && d.error.name === 'UnknownTask'));
  });

  it('enqueue of a task no live worker of the queue defines: exit 2, the real worker\'s task names, nothing enqueued', async () => {
    // The worker of `taskyard dev` publishes its bundle's task names in the registry (wire/worker-registry).
    const before = (await taskyardJson<QueueRow[]>(['queues', queue], env))[0];
    const run = await taskyard(['enqueue', 'no_such_task', '--queue', queue], env);
    assert.equal(run.code, 2, run.stderr);
    assert.match(run.stderr, /unknown task "no_such_task": the workers consuming queue "default\/[^"]+" define generate_report, process_image, process_payment, send_email, sync_data/);
    assert.match(run.stderr, /Nothing was enqueued/);
    assert.equal(run.stdout, '');
    const after = (await taskyardJson<QueueRow[]>(['queues', queue], env))[0];
    assert.deepEqual(after, before);
  });

  it('revoke of a FAILURE task: exit 1, "already finished", nothing changes (the SDK rule the console uses too)', async () => {
    const id = await enqueue(['process_payment', '--args', '["p-fail-rev", 100, "declined"]']);
    const failed = await taskyard(['result', id, '--timeout', '30'], env);
    assert.equal(failed.code, 1);
    const run = await taskyard(['revoke', id], env);
    assert.equal(run.code, 1);
    assert.match(run.stderr, new RegExp(`task ${id} already finished \\(FAILURE\\); a finished task cannot be revoked`));
    assert.equal((await status(id)).state, 'FAILURE');
  });

  it('dead list shows a permanently failed task with its error; dead replay runs it again', async () => {
    const id = await enqueue(['process_payment', '--args', '["p-dead", 100, "declined"]']);
    const failed = await taskyard(['result', id, '--timeout', '30'], env);
    assert.equal(failed.code, 1);
    assert.match(failed.stderr, new RegExp(`task ${id} failed: PaymentDeclined: payment p-dead: card declined by the issuer`));
    const entry = await eventually('the dead letter', async () =>
      (await taskyardJson<DeadRow[]>(['dead', 'list', queue], env)).find((d) => d.taskId === id));
    assert.equal(entry.message.name, 'process_payment');
    assert.deepEqual(entry.message.args, ['p-dead', 100, 'declined']);
    assert.match(entry.error.stack ?? '', /PaymentDeclined: payment p-dead[\s\S]*examples\/bundle\/index\.mjs/);
    const table = await taskyard(['dead', 'list', queue], env);
    assert.match(table.stdout, /^ENTRY\s+TASK ID\s+TASK\s+ATTEMPTS\s+FAILED AT\s+ERROR\s+ARGS$/m);
    assert.match(table.stdout, new RegExp(`${entry.id}\\s+${id}\\s+process_payment\\s+1\\s+\\S+\\s+PaymentDeclined: payment p-dead`));

    const replay = await taskyard(['dead', 'replay', queue, entry.id], env);
    assert.equal(replay.code, 0, replay.stderr);
    assert.equal(replay.stdout, `replayed 1: process_payment ${id}\n`);
    // It ran again and, the card still being declined, failed again: a new entry for the same task.
    const again = await eventually('the replayed task to fail again', async () =>
      (await taskyardJson<DeadRow[]>(['dead', 'list', queue], env)).find((d) => d.taskId === id && d.id !== entry.id));
    assert.equal(again.error.name, 'PaymentDeclined');
    assert.equal((await taskyardJson<DeadRow[]>(['dead', 'list', queue], env)).filter((d) => d.id === entry.id).length, 0);

    const missing = await taskyard(['dead', 'replay', queue, 'no-such-entry'], env);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /has no entries no-such-entry \(see taskyard dead list/);
  });

  it('queues shows the counts per queue and the live worker', async () => {
    const rows = await taskyardJson<QueueRow[]>(['queues'], env);
    const row = rows.find((r) => r.queue === queue);
    assert.ok(row, `queue ${queue} listed in ${JSON.stringify(rows)}`);
    assert.equal(row.workers, 1);
    assert.ok(row.completed >= 5, `completed ${row.completed}`);
    assert.ok(row.dead >= 2, `dead ${row.dead}`);
    const table = await taskyard(['queues'], env);
    assert.match(table.stdout, /^QUEUE\s+WAITING\s+ACTIVE\s+DELAYED\s+COMPLETED\s+FAILED\s+DEAD\s+WORKERS$/m);
    assert.match(table.stdout, new RegExp(`^${queue}\\s+\\d+\\s+\\d+\\s+\\d+\\s+${row.completed}\\s+${row.failed}\\s+${row.dead}\\s+1$`, 'm'));
  });

  it('status of an id nobody enqueued is PENDING, said plainly', async () => {
    const run = await taskyard(['status', 'no-such-task'], env);
    assert.equal(run.code, 0);
    assert.match(run.stdout, /^state:\s+PENDING \(unknown id, or its result expired\)$/m);
  });
});
