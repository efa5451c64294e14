import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { ConsoleHandle } from '../src/index.js';
import { call, dropPrefix, randomPrefix, startTestConsole, TOKEN, waitFor } from './helpers/console-fixture.js';
import { launchChromium, type Browser } from './helpers/launch-chromium.js';
import { runWorker, type RunningWorker } from './helpers/run-worker.js';

const prefix = randomPrefix();
const work = mkdtempSync(join(tmpdir(), 'console-browser-'));
let handle: ConsoleHandle;
let worker: RunningWorker;
let browser: Browser;
let page: Page;

const enqueue = async (body: Record<string, unknown>): Promise<string> => {
  const r = await call<{ id: string }>(handle.url, 'POST', '/api/tasks', body);
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.id;
};
const stateOf = async (id: string): Promise<string> => (await call<{ state: string }>(handle.url, 'GET', `/api/tasks/${id}`)).body.state;

before(async () => {
  handle = await startTestConsole(prefix);
  worker = await runWorker(prefix, ['web'], 2);
  browser = await launchChromium();
  page = await browser.context.newPage();
  page.setDefaultTimeout(30_000);
  // Page errors go to the test log, so a failure shows what the dashboard itself reported.
  page.on('pageerror', (err) => process.stderr.write(`dashboard page error: ${err.message}\n`));
});

after(async () => {
  await browser?.close();
  await worker?.stop();
  await handle?.close();
  await dropPrefix(prefix);
});

test('asks for a token, refuses a wrong one, and opens with the right one', async () => {
  await page.goto(`${handle.url}/`);
  await page.getByTestId('token').fill('not-the-token');
  await page.getByTestId('token').press('Enter');
  await page.locator('.flash.error', { hasText: 'The token was refused' }).waitFor();
  await page.getByTestId('token').fill(TOKEN);
  await page.getByTestId('token').press('Enter');
  await page.getByRole('heading', { name: 'Queues' }).waitFor();
  await page.locator('[data-testid="live"].live.live').waitFor();
});

test('a task enqueued through the API appears on the dashboard and is seen finishing', async () => {
  await page.goto(`${handle.url}/#token=${TOKEN}`);
  const gate = join(work, 'finish-gate');
  const id = await enqueue({ name: 'test.wait-for-file', args: [gate], queue: 'web' });
  // The queue card appears with the task counted as active (it runs until the gate file exists).
  await page.locator('[data-testid="queue-default/web"] [data-count="active"] dd', { hasText: '1' }).waitFor();
  await page.goto(`${handle.url}/#/tasks?queue=web&state=active`);
  const row = page.locator(`tr[data-task="${id}"]`);
  await row.waitFor();
  assert.equal(await row.locator('[data-state]').getAttribute('data-state'), 'STARTED');
  await row.getByRole('link').click();
  await page.getByTestId('task-id').filter({ hasText: id }).waitFor();
  await page.locator('h1 [data-state="STARTED"]').waitFor();
  writeFileSync(gate, 'go');
  await page.locator('h1 [data-state="SUCCESS"]').waitFor();
  assert.equal(await page.getByTestId('result').textContent(), JSON.stringify(`saw ${gate}`));
  const timeline = await page.getByTestId('timeline').textContent();
  assert.match(timeline ?? '', /enqueued.*started.*succeeded/s);
  // And the completed list shows it too.
  await page.goto(`${handle.url}/#/tasks?queue=web&state=completed`);
  await page.locator(`tr[data-task="${id}"] [data-state="SUCCESS"]`).waitFor();
});

test('revoking a running task from its page terminates it', async () => {
  const id = await enqueue({ name: 'test.sleep', args: [120_000], queue: 'web' });
  await waitFor('the task to start', async () => (await stateOf(id)) === 'STARTED');
  await page.goto(`${handle.url}/#/task/${id}`);
  await page.locator('h1 [data-state="STARTED"]').waitFor();
  await page.locator('button[data-action="revoke-terminate"]').click();
  await page.locator('h1 [data-state="REVOKED"]').waitFor();
  assert.equal(await stateOf(id), 'REVOKED');
  assert.equal(await page.locator('button[data-action="revoke-terminate"]').count(), 0, 'no revoke button once it is final');
});

test('a dead letter is replayed from the dead-letters page and then succeeds', async () => {
  const flag = join(work, 'flag');
  const id = await enqueue({ name: 'test.needs-file', args: [flag], queue: 'web' });
  await waitFor('the task to fail', async () => (await stateOf(id)) === 'FAILURE');
  await page.goto(`${handle.url}/#/dead?queue=web`);
  const row = page.locator(`tr[data-task="${id}"]`);
  await row.waitFor();
  assert.match((await row.textContent()) ?? '', /Error: missing/);
  writeFileSync(flag, 'fixed');
  await row.locator('button[data-action="replay"]').click();
  await page.locator('.flash.ok', { hasText: `replayed ${id}` }).waitFor();
  await row.waitFor({ state: 'detached' });
  await waitFor('the replayed task to succeed', async () => (await stateOf(id)) === 'SUCCESS');
  await page.goto(`${handle.url}/#/task/${id}`);
  await page.locator('h1 [data-state="SUCCESS"]').waitFor();
});

test('the task list opens on the queued tasks of a queue no worker serves', async () => {
  const id = await enqueue({ name: 'math.add', args: [1, 2], queue: 'unserved' });
  await page.goto(`${handle.url}/#/tasks?queue=${encodeURIComponent('default/unserved')}`);
  await page.locator('a.tab.active', { hasText: 'queued' }).waitFor();
  await page.locator(`tr[data-task="${id}"]`).waitFor();
  assert.equal(await stateOf(id), 'PENDING');
});

test('a failed task can be retried from the task list', async () => {
  const flag = join(work, 'retry-flag');
  const id = await enqueue({ name: 'test.needs-file', args: [flag], queue: 'web' });
  await waitFor('the task to fail', async () => (await stateOf(id)) === 'FAILURE');
  await page.goto(`${handle.url}/#/tasks?queue=web&state=failed`);
  const row = page.locator(`tr[data-task="${id}"]`);
  await row.waitFor();
  writeFileSync(flag, 'fixed');
  await row.locator('button[data-action="retry"]').click();
  await waitFor('the retried task to succeed', async () => (await stateOf(id)) === 'SUCCESS');
  await row.waitFor({ state: 'detached' });
});

test('search finds a task by argument text; workers and schedules pages render', async () => {
  const id = await enqueue({ name: 'math.add', args: [40, 2], queue: 'web', countdown: 600_000, kwargs: { invoice: 'INV-4711' } });
  await page.goto(`${handle.url}/#/tasks?queue=web&state=delayed`);
  await page.getByTestId('search').fill('inv-4711');
  await page.getByTestId('search').press('Enter');
  await page.locator(`tr[data-task="${id}"]`).waitFor();
  assert.equal(await page.locator('tbody tr[data-task]').count(), 1);
  await page.goto(`${handle.url}/#/workers`);
  await page.locator('tr[data-worker]', { hasText: 'test-pool' }).waitFor();
  await page.goto(`${handle.url}/#/schedules`);
  await page.getByTestId('schedules-note').waitFor();
});

test('the enqueue form names a wrong field and enqueues a good task, which then runs', async () => {
  await page.goto(`${handle.url}/#/tasks?queue=web&state=completed`);
  await page.locator('summary', { hasText: 'Enqueue a task' }).click();
  await page.getByTestId('enqueue-name').fill('math.add');
  await page.getByTestId('enqueue-args').fill('{"a": 1}');
  await page.getByTestId('enqueue-submit').click();
  await page.getByTestId('enqueue-error').filter({ hasText: 'body.args' }).waitFor();
  await page.getByTestId('enqueue-args').fill('[19, 23]');
  await page.getByTestId('enqueue-submit').click();
  await page.locator('h1 [data-state="SUCCESS"]').waitFor();
  await page.getByTestId('result').filter({ hasText: /^42$/ }).waitFor();
});
