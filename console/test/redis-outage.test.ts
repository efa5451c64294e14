import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ConsoleHandle } from '../src/index.js';
import { call, randomPrefix, startTestConsole, TOKEN, waitFor } from './helpers/console-fixture.js';
import { OwnRedis } from './helpers/own-redis.js';

let redis: OwnRedis;
let handle: ConsoleHandle;

before(async () => {
  redis = await OwnRedis.start();
  handle = await startTestConsole(randomPrefix(), { redisUrl: redis.url });
});

after(async () => {
  await handle?.close();
  await redis?.down();
});

test('while Redis is down every Redis-backed endpoint answers 503 with a clear message, then recovers', async () => {
  const first = await call<{ id: string }>(handle.url, 'POST', '/api/tasks', { name: 'math.add', args: [1, 2], queue: 'q' });
  assert.equal(first.status, 201);

  await redis.down();
  const requests: Array<[string, string, unknown?]> = [
    ['GET', '/api/queues'],
    ['GET', '/api/queues/q'],
    ['GET', '/api/workers'],
    ['GET', `/api/tasks/${first.body.id}`],
    ['GET', '/api/tasks?queue=q'],
    ['POST', '/api/tasks', { name: 'math.add', args: [1], queue: 'q' }],
    ['POST', `/api/tasks/${first.body.id}/revoke`, {}],
    ['GET', '/api/queues/q/dead-letters'],
    ['POST', '/api/queues/q/dead-letters/replay', {}],
  ];
  await waitFor('the console to notice Redis is down', async () => (await call(handle.url, 'GET', '/api/queues')).status === 503);
  for (const [method, path, body] of requests) {
    const r = await call(handle.url, method, path, body);
    assert.equal(r.status, 503, `${method} ${path}`);
    assert.equal(r.body.error.code, 'redis_unavailable');
    assert.match(r.body.error.message, /Redis is unavailable .*check that Redis is running/);
    assert.equal(r.headers.get('retry-after'), '5');
  }
  // Still 401 before 503: no information without a token.
  assert.equal((await call(handle.url, 'GET', '/api/queues', undefined, null)).status, 401);
  const ready = await fetch(`${handle.url}/readyz`);
  assert.equal(ready.status, 503);
  assert.match(await ready.text(), /cannot reach redis:\/\/127\.0\.0\.1/);
  const metrics = await (await fetch(`${handle.url}/metrics`)).text();
  assert.match(metrics, /taskyard_console_redis_up 0/);
  const schedules = await call(handle.url, 'GET', '/api/schedules');
  assert.equal(schedules.status, 200, 'schedules come from Kubernetes, not Redis');

  // The live stream says so instead of closing.
  const res = await fetch(`${handle.url}/api/events`, { headers: { authorization: `Bearer ${TOKEN}` } });
  const reader = res.body!.getReader();
  let text = '';
  while (!text.includes('event: unavailable')) {
    const { value, done } = await reader.read();
    if (done) break;
    text += new TextDecoder().decode(value);
  }
  await reader.cancel();
  assert.match(text, /event: unavailable\ndata: \{"message":"cannot reach/);

  await redis.up();
  const back = await waitFor('the console to reconnect', async () => {
    const r = await call<{ items: Array<{ name: string }> }>(handle.url, 'GET', '/api/queues');
    return r.status === 200 ? r : undefined;
  }, 30_000, 200);
  assert.ok(Array.isArray(back.body.items));
});
