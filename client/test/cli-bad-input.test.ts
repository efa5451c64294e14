import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { REDIS_URL, deleteKeys, rand, taskyard } from './cli-test-kit.js';

describe('taskyard CLI: bad input gives a clear error, a non-zero exit, and enqueues nothing', () => {
  const prefix = rand('tycli-bad');
  const queue = rand('q');
  const env = { TASKYARD_PREFIX: prefix };
  let redis: Redis;
  before(() => {
    redis = new Redis(REDIS_URL);
  });
  after(async () => {
    redis.disconnect();
    await deleteKeys(REDIS_URL, prefix);
  });
  const nothingEnqueued = async (): Promise<void> => {
    assert.deepEqual(await redis.keys(`${prefix}:{default/${queue}}*`), [], 'nothing may be written for a rejected enqueue');
  };

  it('rejects --args that is not JSON, quoting the input and showing the shell quoting', async () => {
    const run = await taskyard(['enqueue', 'send_email', '--queue', queue, '--args', '[a@example.com]'], env);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /--args is not valid JSON/);
    assert.match(run.stderr, /\[a@example\.com\]/);
    assert.match(run.stderr, /--args '\[1, "two"\]'/);
    assert.equal(run.stdout, '');
    await nothingEnqueued();
  });

  it('rejects --args that is JSON but not an array, and --kwargs that is not an object', async () => {
    const args = await taskyard(['enqueue', 'send_email', '--queue', queue, '--args', '{"to": "a@example.com"}'], env);
    assert.equal(args.code, 2);
    assert.match(args.stderr, /--args must be a JSON array of positional arguments, got an object/);
    const kwargs = await taskyard(['enqueue', 'send_email', '--queue', queue, '--kwargs', '[1]'], env);
    assert.equal(kwargs.code, 2);
    assert.match(kwargs.stderr, /--kwargs must be a JSON object of keyword arguments, got an array/);
    await nothingEnqueued();
  });

  it('rejects oversized arguments (read with @FILE) with the size, the limit and what to do instead', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tycli-'));
    const file = join(dir, 'args.json');
    writeFileSync(file, JSON.stringify(['x'.repeat(300 * 1024)]));
    const run = await taskyard(['enqueue', 'process_image', '--queue', queue, '--args', `@${file}`], env);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /PayloadTooLargeError/);
    assert.match(run.stderr, /over the queue's maxPayloadBytes of 262144/);
    assert.match(run.stderr, /pass that reference as the argument instead/);
    assert.match(run.stderr, /Nothing was enqueued/);
    await nothingEnqueued();
  });

  it('reads --args from stdin with @-', async () => {
    const run = await taskyard(['enqueue', 'process_image', '--queue', queue, '--args', '@-', '--json'], env, '["from-stdin"]');
    assert.equal(run.code, 0, run.stderr);
    const { id } = JSON.parse(run.stdout) as { id: string };
    const job = JSON.parse((await redis.hget(`${prefix}:{default/${queue}}:${id}`, 'data')) ?? '{}') as { args: unknown[] };
    assert.deepEqual(job.args, ['from-stdin']);
    await redis.del(...(await redis.keys(`${prefix}:{default/${queue}}*`)));
  });

  it('names the bad flag value: countdown, eta without a zone, expires, priority', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['--countdown', 'soon'], /--countdown must be a number of seconds >= 0, got "soon"/],
      [['--countdown=-5'], /--countdown must be a number of seconds >= 0, got "-5"/],
      [['--eta', '2030-01-01T09:00:00'], /--eta must be an ISO-8601 time with a zone.*e\.g\. --eta 2030-01-01T09:00:00Z/],
      [['--expires', 'tomorrow'], /--expires must be seconds from now or an ISO-8601 time/],
      [['--priority', '0'], /--priority must be an integer from 1 to 10, got "0"/],
      [['--priority', '11'], /--priority must be an integer from 1 to 10, got "11"/],
      [['--countdown', '5', '--eta', '2030-01-01T09:00:00Z'], /give --countdown or --eta, not both/],
      [['--queue', 'bad:name'], /--queue "bad:name" is not a queue: write a queue name/],
      [['--namespace', 'a/b'], /--namespace: namespace name "a\/b" must not contain/],
    ];
    for (const [flags, message] of cases) {
      const run = await taskyard(['enqueue', 'process_image', ...flags], env);
      assert.equal(run.code, 2, `${flags.join(' ')}: ${run.stderr}`);
      assert.match(run.stderr, message);
    }
    await nothingEnqueued();
  });

  it('names unknown flags, unknown commands and missing arguments', async () => {
    const flag = await taskyard(['enqueue', 'x', '--queeue', 'q'], env);
    assert.equal(flag.code, 2);
    assert.match(flag.stderr, /Unknown option '--queeue' \(see taskyard enqueue --help\)/);
    const command = await taskyard(['enqeue', 'x'], env);
    assert.equal(command.code, 2);
    assert.match(command.stderr, /unknown command "enqeue": use one of enqueue, status, result/);
    const task = await taskyard(['enqueue'], env);
    assert.equal(task.code, 2);
    assert.match(task.stderr, /missing <task>/);
    const positional = await taskyard(['enqueue', 'add', '1', '2'], env);
    assert.equal(positional.code, 2);
    assert.match(positional.stderr, /pass task arguments as JSON with --args/);
    const replay = await taskyard(['dead', 'replay', queue], env);
    assert.equal(replay.code, 2);
    assert.match(replay.stderr, /name the entries to replay .* or pass --all/);
    const deadQueue = await taskyard(['dead', 'list', `${queue}.dead`], env);
    assert.equal(deadQueue.code, 2);
    assert.match(deadQueue.stderr, /pass the queue itself, not its dead-letter queue/);
  });

  it('says which Redis it could not reach and how to point it elsewhere', async () => {
    const run = await taskyard(['queues', '--redis', 'redis://127.0.0.1:1'], env);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /cannot reach Redis at redis:\/\/127\.0\.0\.1:1 \(ECONNREFUSED\).*--redis redis:\/\/HOST:PORT/);
  });

  it('never prints the Redis password, from --redis or the environment', async () => {
    const url = 'redis://taskyard:s3cret-pw@127.0.0.1:1';
    for (const run of [
      await taskyard(['status', 'some-id', '--redis', url], env),
      await taskyard(['queues', '--json'], { ...env, REDIS_URL: url }),
      await taskyard(['enqueue', 'x', `--redis=${url}`], { ...env, TASKYARD_DEBUG: '1' }),
    ]) {
      assert.equal(run.code, 1);
      assert.doesNotMatch(run.stderr + run.stdout, /s3cret-pw/);
      assert.match(run.stderr, /redis:\/\/taskyard:\*\*\*@127\.0\.0\.1:1/);
    }
  });

  it('prints JSON errors with --json', async () => {
    const run = await taskyard(['enqueue', 'x', '--args', 'nope', '--json'], env);
    assert.equal(run.code, 2);
    const error = JSON.parse(run.stderr) as { error: string; message: string };
    assert.equal(error.error, 'CliError');
    assert.match(error.message, /--args is not valid JSON/);
  });
});
