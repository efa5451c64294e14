import { parseArgs } from 'node:util';
import { DEFAULT_HTTP_PORT, DEFAULT_PREFIX, RuntimeEnv, namespaceFromEnv } from '@taskyard/api';
import { connectRedis, maskSecretIn, taskyardKeys } from '@taskyard/api/wire';
import { enqueueTick } from './enqueue-tick.js';
import { jobNameTick } from './job-name-tick.js';
import { createLogger } from './json-logger.js';
import { TaskyardWorker } from './taskyard-worker.js';
import type { WorkerOptions } from './worker-options.js';

const USAGE = `usage:
  taskyard-worker run [--queues a,b] [-n|--namespace NS] [--concurrency N] [--prefetch N] [--bundle PATH | --bundle-url URL --bundle-sha256 HEX]
                      [--redis-url URL] [--prefix P] [--http-port N] [--pool NAME] [--log-level L]
                      [--lock-duration-ms N] [--stalled-interval-ms N]
      (each flag overrides its environment variable: ${Object.values(RuntimeEnv).slice(0, 10).join(', ')})
  taskyard-worker enqueue --queue Q --task NAME [--args JSON] [--kwargs JSON] [--options JSON]
                      --schedule-id UID (--tick ISO | --job-name NAME | $JOB_NAME) [-n|--namespace NS] [--redis-url URL] [--prefix P]
  (namespace: --namespace, else $${RuntimeEnv.namespace}, else $${RuntimeEnv.podNamespace}, else "default")
`;

/** Entry of the `taskyard-worker` command; returns the exit code (run: resolves on shutdown). */
export async function workerCli(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const [command, ...rest] = argv;
  const log = createLogger(env[RuntimeEnv.logLevel] ?? 'info', { component: 'taskyard-worker' });
  try {
    if (command === 'run') return await runCommand(rest, env);
    if (command === 'enqueue') return await enqueueCommand(rest, env);
    process.stderr.write(USAGE);
    return command === undefined || command === 'help' || command === '--help' ? 0 : 2;
  } catch (err) {
    log.error((err as Error).message, { command, error: (err as Error).name });
    return 1;
  }
}

function int(name: string, value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a whole number (got ${JSON.stringify(value)})`);
  return n;
}

async function runCommand(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      queues: { type: 'string' },
      concurrency: { type: 'string' },
      prefetch: { type: 'string' },
      bundle: { type: 'string' },
      'bundle-url': { type: 'string' },
      'bundle-sha256': { type: 'string' },
      'redis-url': { type: 'string' },
      namespace: { type: 'string', short: 'n' },
      prefix: { type: 'string' },
      'http-port': { type: 'string' },
      pool: { type: 'string' },
      'log-level': { type: 'string' },
      'lock-duration-ms': { type: 'string' },
      'stalled-interval-ms': { type: 'string' },
    },
    strict: true,
  });
  const queues = (values.queues ?? env[RuntimeEnv.queues] ?? '').split(',').map((q) => q.trim()).filter(Boolean);
  const options: WorkerOptions = {
    queues,
    concurrency: int('--concurrency / TASKYARD_CONCURRENCY', values.concurrency ?? env[RuntimeEnv.concurrency]) ?? 1,
    prefix: values.prefix ?? env[RuntimeEnv.prefix] ?? DEFAULT_PREFIX,
    namespace: values.namespace ?? namespaceFromEnv(env),
    httpPort: int('--http-port / TASKYARD_HTTP_PORT', values['http-port'] ?? env[RuntimeEnv.httpPort]) ?? DEFAULT_HTTP_PORT,
    logLevel: values['log-level'] ?? env[RuntimeEnv.logLevel] ?? 'info',
  };
  const redisUrl = values['redis-url'] ?? env[RuntimeEnv.redisUrl] ?? env.REDIS_URL;
  if (redisUrl) options.redisUrl = redisUrl;
  const bundlePath = values.bundle ?? env[RuntimeEnv.bundlePath];
  const bundleUrl = values['bundle-url'] ?? env[RuntimeEnv.bundleUrl];
  const bundleSha256 = values['bundle-sha256'] ?? env[RuntimeEnv.bundleSha256];
  if (bundlePath) options.bundlePath = bundlePath;
  if (bundleUrl) options.bundleUrl = bundleUrl;
  if (bundleSha256) options.bundleSha256 = bundleSha256;
  const pool = values.pool ?? env[RuntimeEnv.pool];
  if (pool) options.pool = pool;
  const pod = env[RuntimeEnv.podName];
  if (pod) options.podName = pod;
  const prefetch = int('--prefetch / TASKYARD_PREFETCH', values.prefetch ?? env[RuntimeEnv.prefetch]);
  if (prefetch !== undefined) options.prefetch = prefetch;
  const lock = int('--lock-duration-ms / TASKYARD_LOCK_DURATION_MS', values['lock-duration-ms'] ?? env[RuntimeEnv.lockDurationMs]);
  if (lock !== undefined) options.lockDurationMs = lock;
  const stalled = int('--stalled-interval-ms / TASKYARD_STALLED_INTERVAL_MS', values['stalled-interval-ms'] ?? env[RuntimeEnv.stalledIntervalMs]);
  if (stalled !== undefined) options.stalledIntervalMs = stalled;

  const worker = await TaskyardWorker.start(options);
  return new Promise<number>((resolve) => {
    let draining = false;
    const stop = (signal: NodeJS.Signals): void => {
      if (draining) {
        // a second signal during the drain: stop now; the running tasks' locks expire and other workers re-run them
        const abandoned = worker.activeTaskIds();
        worker.logger.warn('second signal during drain: exiting now without waiting for running tasks', { signal, abandoned, count: abandoned.length });
        process.exit(signal === 'SIGINT' ? 130 : 143);
      }
      draining = true;
      worker.logger.info('signal received: draining (send it again to exit at once)', { signal });
      worker.close().then(
        () => resolve(0),
        (err: Error) => {
          worker.logger.error('shutdown failed', { error: err.message });
          resolve(1);
        },
      );
    };
    process.on('SIGTERM', () => stop('SIGTERM'));
    process.on('SIGINT', () => stop('SIGINT'));
  });
}

function json<T>(flag: string, text: string | undefined, fallback: T, check: (v: unknown) => boolean, shape: string): T {
  if (text === undefined || text === '') return fallback;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new Error(`${flag} is not valid JSON (${(err as Error).message}); pass ${shape}`);
  }
  if (!check(value)) throw new Error(`${flag} must be ${shape}`);
  return value as T;
}

const isObject = (v: unknown): boolean => typeof v === 'object' && v !== null && !Array.isArray(v);

async function enqueueCommand(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      queue: { type: 'string' },
      task: { type: 'string' },
      args: { type: 'string' },
      kwargs: { type: 'string' },
      options: { type: 'string' },
      'schedule-id': { type: 'string' },
      tick: { type: 'string' },
      'job-name': { type: 'string' },
      'redis-url': { type: 'string' },
      namespace: { type: 'string', short: 'n' },
      prefix: { type: 'string' },
    },
    strict: true,
  });
  if (!values.queue) throw new Error('enqueue: --queue is required');
  if (!values.task) throw new Error('enqueue: --task is required');
  if (!values['schedule-id']) throw new Error('enqueue: --schedule-id is required (the Schedule UID; the task id is derived from it and the tick)');
  let tick: Date;
  if (values.tick !== undefined) {
    tick = new Date(values.tick);
    if (!Number.isFinite(tick.getTime())) throw new Error(`enqueue: --tick ${JSON.stringify(values.tick)} is not an ISO 8601 time`);
  } else {
    const jobName = values['job-name'] ?? env[RuntimeEnv.jobName];
    if (!jobName) throw new Error(`enqueue: give --tick ISO or --job-name NAME (or set ${RuntimeEnv.jobName})`);
    tick = jobNameTick(jobName);
  }
  const url = values['redis-url'] ?? env[RuntimeEnv.redisUrl] ?? env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const conn = connectRedis(url, { role: 'client', lazyConnect: true, connectionName: 'taskyard-beat' });
  conn.on('error', () => undefined); // reported by the command that failed
  try {
    await conn.connect().catch((err: Error) => {
      throw new Error(`enqueue: cannot reach Redis (${maskSecretIn(err.message, url)}); check ${RuntimeEnv.redisUrl} / --redis-url`);
    });
    const result = await enqueueTick(conn, taskyardKeys(values.prefix ?? env[RuntimeEnv.prefix] ?? DEFAULT_PREFIX), {
      queue: values.queue,
      namespace: values.namespace ?? namespaceFromEnv(env),
      task: values.task,
      args: json('--args', values.args, [] as unknown[], Array.isArray, 'a JSON array, e.g. \'[1, "a"]\''),
      kwargs: json('--kwargs', values.kwargs, {} as Record<string, unknown>, isObject, 'a JSON object, e.g. \'{"to": "a@b.c"}\''),
      options: json('--options', values.options, {} as Record<string, unknown>, isObject, 'a JSON object, e.g. \'{"expires": "5m"}\''),
      scheduleId: values['schedule-id'],
      tick,
    });
    process.stdout.write(JSON.stringify(result) + '\n');
    return 0;
  } finally {
    conn.disconnect();
  }
}
