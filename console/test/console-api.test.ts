import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConsoleHandle } from '../src/index.js';
import type { TaskDetail, TaskSummary } from '../src/schemas/task-schemas.js';
import type { QueueView } from '../src/schemas/queue-schemas.js';
import type { WorkerView } from '../src/schemas/worker-schemas.js';
import type { DeadLetterView } from '../src/schemas/dead-letter-schemas.js';
import { call, dropPrefix, randomPrefix, startTestConsole, TOKEN, waitFor } from './helpers/console-fixture.js';
import { runWorker, type RunningWorker } from './helpers/run-worker.js';

const prefix = randomPrefix();
let consoleHandle: ConsoleHandle;
let base: string;
let worker: RunningWorker;
const work = mkdtempSync(join(tmpdir(), 'console-api-'));

interface TaskListBody {
  total: number;
  items: TaskSummary[];
  search?: { scanned: number; complete: boolean };
}
type Enqueued = { id: string; queue: string; state: string };

const enqueue = async (body: Record<string, unknown>): Promise<Enqueued> => {
  const r = await call<Enqueued>(base, 'POST', '/api/tasks', body);
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body;
};
const detail = async (id: string): Promise<TaskDetail> => (await call<TaskDetail>(base, 'GET', `/api/tasks/${encodeURIComponent(id)}`)).body;
const settled = (id: string, state: string): Promise<TaskDetail> =>
  waitFor(`task ${id} to be ${state}`, async () => {
    const t = await detail(id);
    return t.state === state ? t : undefined;
  });

before(async () => {
  consoleHandle = await startTestConsole(prefix);
  base = consoleHandle.url;
  worker = await runWorker(prefix, ['work']);
});

after(async () => {
  await worker?.stop();
  await consoleHandle?.close();
  await dropPrefix(prefix);
});

describe('auth', () => {
  test('every API endpoint answers 401 without a token or with a wrong one, and names the fix', async () => {
    const doc = (await call<{ paths: Record<string, Record<string, unknown>> }>(base, 'GET', '/openapi.json', undefined, null)).body;
    const paths = Object.entries(doc.paths);
    assert.ok(paths.length >= 10, 'the OpenAPI document lists the endpoints');
    for (const [path, methods] of paths) {
      for (const method of Object.keys(methods)) {
        const concrete = path.replace('{id}', 'some-task').replace('{queue}', 'work');
        for (const token of [null, 'wrong-token']) {
          const r = await call(base, method.toUpperCase(), concrete, method === 'post' ? {} : undefined, token);
          assert.equal(r.status, 401, `${method} ${path} with token ${token}`);
          assert.match(r.body.error.message, /Authorization: Bearer/);
          assert.equal(r.headers.get('www-authenticate'), 'Bearer realm="taskyard-console"');
        }
      }
    }
  });

  test('the live event stream needs the token too', async () => {
    const res = await fetch(`${base}/api/events`);
    assert.equal(res.status, 401);
  });
});

describe('OpenAPI', () => {
  test('documents every endpoint with its request and response schemas from zod', async () => {
    const r = await call<{ openapi: string; paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: { properties?: Record<string, unknown>; required?: string[] } }> }; responses: Record<string, unknown>; parameters: Array<{ name: string; in: string }> }>> }>(base, 'GET', '/openapi.json', undefined, null);
    assert.equal(r.status, 200);
    assert.equal(r.body.openapi, '3.1.0');
    const p = r.body.paths;
    for (const [path, method] of [
      ['/api/tasks', 'post'], ['/api/tasks', 'get'], ['/api/tasks/{id}', 'get'], ['/api/tasks/{id}/revoke', 'post'],
      ['/api/tasks/{id}/retry', 'post'], ['/api/queues', 'get'], ['/api/queues/{queue}', 'get'], ['/api/workers', 'get'],
      ['/api/queues/{queue}/dead-letters', 'get'], ['/api/queues/{queue}/dead-letters/replay', 'post'],
      ['/api/queues/{queue}/dead-letters/purge', 'post'], ['/api/schedules', 'get'],
    ] as const) {
      assert.ok(p[path]?.[method], `${method} ${path} is documented`);
      assert.ok(p[path]?.[method]?.responses['401'], `${method} ${path} documents 401`);
    }
    const enqueueSchema = p['/api/tasks']?.post?.requestBody?.content['application/json']?.schema;
    assert.deepEqual(enqueueSchema?.required, ['name']);
    assert.ok(enqueueSchema?.properties?.countdown);
    assert.deepEqual(p['/api/tasks/{id}']?.get?.parameters.map((x) => `${x.in}:${x.name}`), ['path:id', 'query:namespace']);
    assert.ok(p['/api/tasks/{id}']?.get?.responses['404']);
  });
});

describe('enqueue and validation', () => {
  test('a bad body gets a 400 naming each wrong field, and nothing is enqueued', async () => {
    const cases: Array<[unknown, string]> = [
      [{ args: [1] }, 'body.name'],
      [{ name: 'math.add', args: 'one, two' }, 'body.args'],
      [{ name: 'math.add', countdwn: 5 }, 'body.countdwn'],
      [{ name: 'math.add', countdown: -1 }, 'body.countdown'],
      [{ name: 'math.add', countdown: 5, eta: '2030-01-01T00:00:00Z' }, 'body.eta'],
      [{ name: 'math.add', queue: 'bad:queue' }, 'body.queue'],
      [{ name: 'math.add', priority: 0 }, 'body.priority'],
      [{ name: 'math.add', backoff: { type: 'linear' } }, 'body.backoff.type'],
      [[1, 2], 'body'],
    ];
    for (const [body, field] of cases) {
      const r = await call(base, 'POST', '/api/tasks', body);
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.equal(r.body.error.code, 'invalid_request');
      assert.ok(r.body.error.fields?.some((f) => f.field === field), `${JSON.stringify(body)} names ${field}: ${JSON.stringify(r.body.error.fields)}`);
      assert.match(r.body.error.message, new RegExp(field.replace('.', '\\.')));
    }
    const q = await call<QueueView>(base, 'GET', '/api/queues/default');
    assert.equal(q.status, 404, 'no queue was created by the rejected requests');
  });

  test('malformed JSON, a missing body and a non-JSON content type are 4xx, not 5xx', async () => {
    const broken = await call(base, 'POST', '/api/tasks', undefined, TOKEN, '{"name": ');
    assert.equal(broken.status, 400);
    assert.equal(broken.body.error.fields?.[0]?.field, 'body');
    const empty = await call(base, 'POST', '/api/tasks', undefined, TOKEN);
    assert.equal(empty.status, 400);
    assert.ok(empty.body.error.fields?.some((f) => f.field === 'body.name'));
    const deep = await call(base, 'POST', '/api/tasks', undefined, TOKEN, `{"name":"x","args":[${'['.repeat(5000)}${']'.repeat(5000)}]}`);
    assert.equal(deep.status, 400, 'absurdly nested input is refused, not a stack overflow');
    assert.match(deep.body.error.message, /nested 5002 levels deep; at most 64/);
    const brackets = await call<{ id: string }>(base, 'POST', '/api/tasks', { name: 'math.add', args: ['[[[[{{{{'.repeat(20)], queue: 'nesting' });
    assert.equal(brackets.status, 201, 'brackets inside strings are not nesting');
    const text = await fetch(`${base}/api/tasks`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'text/plain' }, body: 'name=x' });
    assert.equal(text.status, 415);
  });

  test('arguments over the payload limit are refused with 413 telling to pass a reference', async () => {
    const r = await call(base, 'POST', '/api/tasks', { name: 'math.add', queue: 'work', args: ['x'.repeat(300 * 1024)] });
    assert.equal(r.status, 413);
    assert.match(r.body.error.message, /reference/);
  });

  test('a task enqueued through the API runs on a real worker and its result is readable', async () => {
    const { id, queue, state } = await enqueue({ name: 'math.add', args: [2, 3], queue: 'work' });
    assert.equal(queue, 'default/work', 'a queue without namespace is in the console\'s default namespace');
    assert.equal(state, 'PENDING');
    const done = await settled(id, 'SUCCESS');
    assert.equal(done.result, 5);
    assert.deepEqual(done.args, [2, 3]);
    assert.equal(done.ready, true);
    assert.equal(done.name, 'math.add');
    assert.deepEqual(done.timeline.map((e) => e.event), ['enqueued', 'started', 'succeeded']);
    assert.ok(done.startedAt && done.finishedAt && done.finishedAt >= done.startedAt);
  });

  test('countdown keeps a task delayed (PENDING) with its due time', async () => {
    const { id } = await enqueue({ name: 'math.add', args: [1, 1], queue: 'work', countdown: 3_600_000, kwargs: { note: 'later' }, attempts: 3 });
    const t = await detail(id);
    assert.equal(t.maxAttempts, 3);
    assert.equal(t.state, 'PENDING');
    assert.equal(t.jobState, 'delayed');
    assert.deepEqual(t.kwargs, { note: 'later' });
    assert.ok(t.delayUntil && t.delayUntil > Date.now() + 3_000_000);
  });
});

describe('task status, errors and actions', () => {
  test('unknown task ids are 404 on detail, revoke and retry', async () => {
    for (const [method, path] of [['GET', '/api/tasks/no-such-task'], ['POST', '/api/tasks/no-such-task/revoke'], ['POST', '/api/tasks/no-such-task/retry']] as const) {
      const r = await call(base, method, path, method === 'POST' ? {} : undefined);
      assert.equal(r.status, 404, `${method} ${path}`);
      assert.equal(r.body.error.code, 'task_not_found');
      assert.equal(r.body.error.fields?.[0]?.field, 'params.id');
    }
  });

  test('a failed task shows FAILURE with its error, traceback and attempts, and sits in the dead letters', async () => {
    const { id } = await enqueue({ name: 'test.fail', args: ['the disk is full'], queue: 'work' });
    const t = await settled(id, 'FAILURE');
    assert.deepEqual(t.error && { name: t.error.name, message: t.error.message }, { name: 'TypeError', message: 'the disk is full' });
    assert.match(t.traceback ?? '', /TypeError: the disk is full/);
    assert.equal(t.attemptsMade, 1);
    assert.equal(t.maxAttempts, undefined, 'the limit came from the bundle, which the console cannot see');
    assert.equal(t.timeline.at(-1)?.event, 'failed');
    const dead = await call<{ items: DeadLetterView[]; total: number }>(base, 'GET', '/api/queues/work/dead-letters');
    assert.ok(dead.body.items.some((d) => d.taskId === id && d.error.message === 'the disk is full'));
  });

  test('retry runs a failed task again under the same id; retrying a finished one is a 409', async () => {
    const flag = join(work, 'retry-flag');
    const { id } = await enqueue({ name: 'test.needs-file', args: [flag], queue: 'work' });
    await settled(id, 'FAILURE');
    writeFileSync(flag, 'now it exists');
    const r = await call<{ id: string; state: string }>(base, 'POST', `/api/tasks/${id}/retry`);
    assert.equal(r.status, 202);
    assert.equal(r.body.id, id);
    const ok = await settled(id, 'SUCCESS');
    assert.equal(ok.result, `found ${flag}`);
    const revokeDone = await call(base, 'POST', `/api/tasks/${id}/revoke`, {});
    assert.equal(revokeDone.status, 409, 'a finished task cannot be revoked');
    assert.match(revokeDone.body.error.message, /already finished \(SUCCESS\)/);
    const again = await call(base, 'POST', `/api/tasks/${id}/retry`);
    assert.equal(again.status, 409);
    assert.match(again.body.error.message, /only a failed task can be retried/);
  });

  test('revoking a waiting task removes it for good (REVOKED)', async () => {
    const { id } = await enqueue({ name: 'math.add', args: [1, 2], queue: 'work', countdown: 60_000 });
    const r = await call<{ state: string; revoked: boolean }>(base, 'POST', `/api/tasks/${id}/revoke`, {});
    assert.equal(r.status, 202);
    assert.equal(r.body.state, 'REVOKED');
    const t = await detail(id);
    assert.equal(t.state, 'REVOKED');
    assert.equal(t.revoked, true);
    assert.ok(t.timeline.some((e) => e.event === 'revoked'));
  });

  test('revoke with terminate aborts a running task on its worker, which shows it as active until then', async () => {
    const { id } = await enqueue({ name: 'test.sleep', args: [60_000], queue: 'work' });
    const running = await waitFor('the task to run and report progress', async () => {
      const t = await detail(id);
      return t.state === 'STARTED' && t.progress !== undefined ? t : undefined;
    });
    assert.deepEqual(running.progress, { step: 'sleeping', ms: 60_000 });
    const workers = await waitFor('the worker registry to list the running task', async () => {
      const w = await call<{ items: WorkerView[] }>(base, 'GET', '/api/workers');
      return w.body.items.find((x) => x.active.includes(id)) ? w.body.items : undefined;
    }, 30_000, 250);
    const me = workers.find((x) => x.active.includes(id));
    assert.equal(me?.pool, 'test-pool');
    assert.equal(me?.concurrency, 2);
    assert.deepEqual(me?.queues, ['work']);
    assert.equal(me?.alive, true);
    const bad = await call(base, 'POST', `/api/tasks/${id}/revoke`, { terminate: 'yes' });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.fields?.[0]?.field, 'body.terminate');
    const r = await call(base, 'POST', `/api/tasks/${id}/revoke`, { terminate: true });
    assert.equal(r.status, 202);
    const t = await settled(id, 'REVOKED');
    assert.equal(t.ready, true);
    assert.equal(t.result, undefined);
  });
});

describe('task listing', () => {
  test('pages through a list newest first, and search finds by id and by argument text', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) ids.push((await enqueue({ name: 'math.add', args: [i, `needle-${i}`], queue: 'listing', countdown: 600_000 })).id);
    const page1 = await call<TaskListBody>(base, 'GET', '/api/tasks?queue=listing&state=delayed&pageSize=3');
    assert.equal(page1.status, 200);
    assert.equal(page1.body.total, 7);
    assert.equal(page1.body.items.length, 3);
    const page3 = await call<TaskListBody>(base, 'GET', '/api/tasks?queue=listing&state=delayed&pageSize=3&page=3');
    assert.equal(page3.body.items.length, 1);
    const all = new Set([...page1.body.items, ...(await call<TaskListBody>(base, 'GET', '/api/tasks?queue=listing&state=delayed&pageSize=3&page=2')).body.items, ...page3.body.items].map((t) => t.id));
    assert.deepEqual([...all].sort(), [...ids].sort(), 'the three pages hold every task once');
    assert.equal(page1.body.items[0]?.state, 'PENDING');
    const byId = await call<TaskListBody>(base, 'GET', `/api/tasks?queue=listing&state=delayed&search=${ids[4]}`);
    assert.deepEqual(byId.body.items.map((t) => t.id), [ids[4]]);
    const byText = await call<TaskListBody>(base, 'GET', '/api/tasks?queue=listing&state=delayed&search=NEEDLE-5');
    assert.deepEqual(byText.body.items.map((t) => t.id), [ids[5]]);
    assert.equal(byText.body.search?.complete, true);
    const none = await call<TaskListBody>(base, 'GET', '/api/tasks?queue=listing&state=delayed&search=nothing-like-this');
    assert.equal(none.body.items.length, 0);
  });

  test('search works on the lists of queued tasks too', async () => {
    const a = await enqueue({ name: 'emails.send', args: ['alice@example.com'], queue: 'idle' });
    await enqueue({ name: 'emails.send', args: ['bob@example.com'], queue: 'idle' });
    // Every task has a priority (default 5): BullMQ keeps queued tasks in its prioritized list.
    const r = await call<TaskListBody>(base, 'GET', '/api/tasks?queue=idle&state=prioritized&search=ALICE');
    assert.deepEqual(r.body.items.map((t) => t.id), [a.id]);
    assert.deepEqual(r.body.search, { text: 'ALICE', scanned: 2, complete: true });
  });

  test('bad list queries name the parameter', async () => {
    for (const [q, field] of [['state=waiting', 'query.queue'], ['queue=work&state=finished', 'query.state'], ['queue=work&page=0', 'query.page'], ['queue=work&pageSize=100000', 'query.pageSize'], ['queue=work&colour=red', 'query.colour']] as const) {
      const r = await call(base, 'GET', `/api/tasks?${q}`);
      assert.equal(r.status, 400, q);
      assert.ok(r.body.error.fields?.some((f) => f.field === field), `${q}: ${JSON.stringify(r.body.error.fields)}`);
    }
  });

  test('completed tasks are listed with their state', async () => {
    const r = await call<TaskListBody>(base, 'GET', '/api/tasks?queue=work&state=completed');
    assert.ok(r.body.items.length >= 1);
    assert.ok(r.body.items.every((t) => t.state === 'SUCCESS'));
  });
});

describe('queues and throughput', () => {
  test('queues show counts, dead letters and throughput from the runtime counters', async () => {
    // The runtime flushes its per-minute counters every few seconds: wait for them to show.
    const r = await waitFor('throughput counters of queue work', async () => {
      const res = await call<{ items: QueueView[] }>(base, 'GET', '/api/queues');
      const q = res.body.items.find((x) => x.name === 'default/work');
      return q && q.throughput.perMinute.reduce((n, p) => n + p.count, 0) >= 3 ? res : undefined;
    });
    const work = r.body.items.find((q) => q.name === 'default/work');
    assert.ok(work, 'queue work is listed');
    assert.ok(!r.body.items.some((q) => q.name.endsWith('.dead')), 'dead-letter queues are not listed as queues');
    assert.ok(work.counts.completed >= 2);
    assert.ok(work.counts.dead >= 1);
    assert.equal(work.throughput.perMinute.length, 60);
    const settledCount = work.throughput.perMinute.reduce((n, p) => n + p.count, 0);
    assert.ok(settledCount >= 3, `throughput counts settled tasks (got ${settledCount})`);
    assert.equal(work.workers, 1);
    const one = await call<QueueView>(base, 'GET', '/api/queues/work?minutes=5');
    assert.equal(one.body.throughput.perMinute.length, 5);
    const missing = await call(base, 'GET', '/api/queues/nope');
    assert.equal(missing.status, 404);
    const bad = await call(base, 'GET', '/api/queues?minutes=999');
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.fields?.[0]?.field, 'query.minutes');
  });

  test('history and rates survive a console restart (they live in Redis)', async () => {
    const before = (await call<QueueView>(base, 'GET', '/api/queues/work')).body;
    await consoleHandle.close();
    consoleHandle = await startTestConsole(prefix);
    base = consoleHandle.url;
    const after = (await call<QueueView>(base, 'GET', '/api/queues/work')).body;
    assert.deepEqual(after.throughput.perMinute.slice(0, -1).map((p) => p.count), before.throughput.perMinute.slice(0, -1).map((p) => p.count));
    assert.equal(after.counts.completed, before.counts.completed);
  });

  test('the live stream sends overviews with queues and workers', async () => {
    const res = await fetch(`${base}/api/events`, { headers: { authorization: `Bearer ${TOKEN}` } });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /text\/event-stream/);
    const reader = res.body!.getReader();
    let text = '';
    while (!text.includes('event: overview')) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    await reader.cancel();
    const data = /event: overview\ndata: (.*)\n/.exec(text)?.[1];
    const overview = JSON.parse(data ?? '{}') as { queues: QueueView[]; workers: WorkerView[] };
    assert.ok(overview.queues.some((q) => q.name === 'default/work'));
    assert.equal(overview.workers.length, 1);
  });
});

describe('dead letters', () => {
  test('replay puts a dead letter back on its queue and it runs again', async () => {
    const flag = join(work, 'replay-flag');
    const { id } = await enqueue({ name: 'test.needs-file', args: [flag], queue: 'work' });
    await settled(id, 'FAILURE');
    const list = await call<{ items: DeadLetterView[] }>(base, 'GET', '/api/queues/work/dead-letters?pageSize=100');
    const entry = list.body.items.find((d) => d.taskId === id);
    assert.ok(entry, 'the failed task is a dead letter');
    writeFileSync(flag, 'fixed');
    const r = await call<{ replayed: number; taskIds: string[] }>(base, 'POST', '/api/queues/work/dead-letters/replay', { ids: [entry.id] });
    assert.equal(r.status, 202);
    assert.deepEqual(r.body, { replayed: 1, taskIds: [id] });
    await settled(id, 'SUCCESS');
    const afterList = await call<{ items: DeadLetterView[] }>(base, 'GET', '/api/queues/work/dead-letters?pageSize=100');
    assert.ok(!afterList.body.items.some((d) => d.id === entry.id), 'the entry left the dead-letter queue');
  });

  test('unknown entries and queues are 404; a bad selection is 400', async () => {
    const unknownEntry = await call(base, 'POST', '/api/queues/work/dead-letters/replay', { ids: ['nope'] });
    assert.equal(unknownEntry.status, 404);
    assert.equal(unknownEntry.body.error.fields?.[0]?.field, 'body.ids');
    const unknownQueue = await call(base, 'GET', '/api/queues/never-used/dead-letters');
    assert.equal(unknownQueue.status, 404);
    assert.equal(unknownQueue.body.error.fields?.[0]?.field, 'params.queue');
    const bad = await call(base, 'POST', '/api/queues/work/dead-letters/purge', { ids: [] });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.fields?.[0]?.field, 'body.ids');
  });

  test('purge deletes chosen dead letters, then all of them', async () => {
    const a = await enqueue({ name: 'test.fail', args: ['a'], queue: 'work' });
    const b = await enqueue({ name: 'test.fail', args: ['b'], queue: 'work' });
    await settled(a.id, 'FAILURE');
    await settled(b.id, 'FAILURE');
    const list = await call<{ items: DeadLetterView[]; total: number }>(base, 'GET', '/api/queues/work/dead-letters?pageSize=100');
    const entryA = list.body.items.find((d) => d.taskId === a.id);
    assert.ok(entryA);
    const one = await call<{ purged: number }>(base, 'POST', '/api/queues/work/dead-letters/purge', { ids: [entryA.id] });
    assert.deepEqual(one.body, { purged: 1 });
    const rest = await call<{ items: DeadLetterView[]; total: number }>(base, 'GET', '/api/queues/work/dead-letters?pageSize=100');
    assert.equal(rest.body.total, list.body.total - 1);
    const all = await call<{ purged: number }>(base, 'POST', '/api/queues/work/dead-letters/purge');
    assert.equal(all.body.purged, rest.body.total);
    const empty = await call<{ total: number }>(base, 'GET', '/api/queues/work/dead-letters');
    assert.equal(empty.body.total, 0);
  });
});

describe('schedules outside a cluster', () => {
  test('answer an empty list with a note', async () => {
    const r = await call<{ source: string; note: string; items: unknown[] }>(base, 'GET', '/api/schedules');
    assert.equal(r.status, 200);
    assert.equal(r.body.source, 'none');
    assert.deepEqual(r.body.items, []);
    assert.match(r.body.note, /KUBECONFIG/);
  });
});

describe('health', () => {
  test('healthz, readyz and metrics answer without a token', async () => {
    assert.equal((await fetch(`${base}/healthz`)).status, 200);
    assert.equal((await fetch(`${base}/readyz`)).status, 200);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    assert.match(metrics, /taskyard_console_redis_up 1/);
    assert.match(metrics, /taskyard_console_http_requests_total\{method="GET",status="200"\} \d+/);
  });

  test('the dashboard is served locally', async () => {
    const page = await fetch(`${base}/`);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-security-policy') ?? '', /default-src 'self'/);
    const html = await page.text();
    assert.match(html, /<script type="module" src="\/app.js">/);
    assert.doesNotMatch(html, /https?:\/\//, 'no CDN');
    assert.equal((await fetch(`${base}/app.js`)).status, 200);
    assert.equal((await fetch(`${base}/styles.css`)).status, 200);
    assert.equal((await fetch(`${base}/..%2f..%2fpackage.json`)).status, 404);
  });
});
