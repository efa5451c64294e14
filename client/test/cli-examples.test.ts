import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { TaskFailedError, TaskyardClient, task } from '../src/index.js';
import { EXAMPLE_BUNDLE, REDIS_URL, deleteKeys, eventually, rand, startDev, type DevProcess } from './cli-test-kit.js';

interface Mail { to: string; subject: string; body: string; taskId: string | undefined }

/** A local HTTP mail sink: records POSTed messages; answers 503 to the first `failFirst` of them. */
async function startMailSink(failFirst = 0): Promise<{ server: Server; url: string; mails: Mail[]; rejected: () => number }> {
  const mails: Mail[] = [];
  let rejected = 0;
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => { body += c.toString(); });
    req.on('end', () => {
      if (rejected < failFirst) {
        rejected++;
        res.writeHead(503).end('busy');
        return;
      }
      const parsed = JSON.parse(body) as Omit<Mail, 'taskId'>;
      mails.push({ ...parsed, taskId: req.headers['x-taskyard-task-id'] as string | undefined });
      res.writeHead(202, { 'content-type': 'application/json' }).end('{"queued":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/mail`, mails, rejected: () => rejected };
}

describe('examples/bundle: every example task through the real worker runtime', () => {
  const prefix = rand('tyex');
  const queue = rand('q');
  let dev: DevProcess;
  let client: TaskyardClient;
  let sink: Awaited<ReturnType<typeof startMailSink>>;

  before(async () => {
    sink = await startMailSink(1);
    // EMAIL_SINK_URL reaches the worker through taskyard dev's environment, as on a laptop.
    dev = await startDev(EXAMPLE_BUNDLE, ['--queues', queue, '--redis', REDIS_URL, '--prefix', prefix], { EMAIL_SINK_URL: sink.url });
    client = new TaskyardClient({ redisUrl: REDIS_URL, prefix, defaultQueue: queue });
  });
  after(async () => {
    await client?.close();
    await dev?.stop();
    sink?.server.close();
    await deleteKeys(REDIS_URL, prefix);
  });

  it('send_email POSTs the message to the HTTP sink (from EMAIL_SINK_URL), retrying a 503', async () => {
    const handle = await client.enqueue('send_email', ['ada@example.com', 'Welcome', 'Hello Ada']);
    assert.deepEqual(await handle.result({ timeout: 30_000 }), { sent: true, to: 'ada@example.com', status: 202 });
    assert.equal(sink.rejected(), 1, 'the first POST got a 503 and was retried');
    assert.deepEqual(sink.mails.filter((m) => m.taskId === handle.id), [{ to: 'ada@example.com', subject: 'Welcome', body: 'Hello Ada', taskId: handle.id }]);
  });

  it('send_email takes the sink from kwargs.sinkUrl too, and rejects a bad address without retrying', async () => {
    const other = await startMailSink();
    try {
      const ok = await client.enqueue('send_email', ['bob@example.com', 'Hi', 'Bob'], { kwargs: { sinkUrl: other.url } });
      await ok.result({ timeout: 30_000 });
      assert.deepEqual(other.mails.map((m) => m.to), ['bob@example.com']);
    } finally {
      other.server.close();
    }
    const bad = await client.enqueue('send_email', ['not-an-address', 'Hi', 'x']);
    await assert.rejects(bad.result({ timeout: 30_000 }), /first argument "to" must be an e-mail address, got "not-an-address"/);
    assert.equal((await bad.status()).attemptsMade, 1);
  });

  it('process_image does CPU work, reports progress per pass and returns the image summary', async () => {
    const handle = await client.enqueue('process_image', ['photo-1', { width: 64, height: 48, passes: 5 }]);
    const result = (await handle.result({ timeout: 30_000 })) as { imageId: string; width: number; height: number; passes: number; checksum: number };
    assert.equal(result.imageId, 'photo-1');
    assert.equal(result.width, 64);
    assert.equal(result.height, 48);
    assert.equal(result.passes, 5);
    assert.ok(result.checksum > 0);
    assert.deepEqual(await handle.progress(), { percent: 100, pass: 5, passes: 5 });
  });

  it('sync_data fails transiently twice, is retried by autoretryFor with backoff, then succeeds', async () => {
    const handle = await client.enqueue('sync_data', ['crm']);
    assert.deepEqual(await handle.result({ timeout: 30_000 }), { source: 'crm', records: 42, attempt: 3 });
    assert.equal((await handle.status()).attemptsMade, 3, 'two failed attempts and the successful one');
    assert.equal((await client.deadLetters.list(queue)).filter((d) => d.taskId === handle.id).length, 0);
  });

  it('process_payment charges a good card, and a declined card ends in the dead-letter queue at once', async () => {
    const ok = await client.enqueue('process_payment', ['pay-1', 1999, 'visa']);
    assert.deepEqual(await ok.result({ timeout: 30_000 }), { paymentId: 'pay-1', amountCents: 1999, charged: true, receipt: 'rcpt-pay-1' });

    const declined = await client.enqueue('process_payment', ['pay-2', 500, 'declined']);
    const err = await declined.result({ timeout: 30_000 }).then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof TaskFailedError);
    assert.equal(err.name, 'PaymentDeclined');
    assert.equal(err.message, 'payment pay-2: card declined by the issuer');
    const status = await declined.status();
    assert.equal(status.state, 'FAILURE');
    assert.equal(status.attemptsMade, 1, 'a permanent error is not retried');
    const dead = await eventually('the dead letter', async () => (await client.deadLetters.list(queue)).find((d) => d.taskId === declined.id));
    assert.equal(dead.error.name, 'PaymentDeclined');
    assert.deepEqual(dead.message.args, ['pay-2', 500, 'declined']);
  });

  it('generate_report, as a chord callback, receives the group results in order', async () => {
    const images = ['a.png', 'b.png', 'c.png'];
    const handle = await client.chord(
      images.map((name, i) => task('process_image', [name, { width: 16 + i * 8, height: 16, passes: 2 }])),
      task('generate_report', ['weekly images']),
    );
    const report = (await handle.result({ timeout: 60_000 })) as { title: string; count: number; items: string[]; checksumTotal: number };
    assert.equal(report.title, 'weekly images');
    assert.equal(report.count, 3);
    assert.deepEqual(report.items, images);
    assert.ok(report.checksumTotal > 0);
  });
});
