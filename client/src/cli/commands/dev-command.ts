import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { RuntimeEnv } from '@taskyard/api';
import { maskRedisUrl } from '@taskyard/api/wire';
import { CliError, usageError } from '../cli-error.js';
import type { CliIo } from '../cli-io.js';
import { freePort, isPortFree } from '../free-port.js';
import { globalFlagHelp, readGlobalFlags } from '../global-flags.js';
import { isLoopbackUrl } from '../is-loopback-url.js';
import { parseFlags } from '../parse-flags.js';
import { parseIntFlag } from '../parse-time-flags.js';
import { pingRedis } from '../ping-redis.js';
import { resolvePackageBin } from '../resolve-package-bin.js';
import { startLocalRedis, type LocalRedis } from '../start-local-redis.js';

export const devHelp = `Usage: taskyard dev <bundle> [flags]

Runs the worker runtime for a local task bundle (a .mjs file or a folder with index.mjs), like
\`celery worker\` on a laptop. Uses the Redis at --redis / $REDIS_URL when it answers; otherwise
starts a scratch redis-server on a free 127.0.0.1 port and stops it on exit. Also starts the
console when @taskyard/console is installed. Ctrl-C drains the worker and stops everything.

Flags:
  --queues LIST        comma-separated queues to consume, highest priority first (default "default")
  --concurrency N      tasks run at once (default 4)
  --http-port N        port of the worker's /metrics, /healthz, /readyz (default: a free port)
  --no-console         do not start the console even when it is installed
${globalFlagHelp}`;

const QUEUE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** `taskyard dev <bundle>`: worker runtime (+ console) as child processes against a local Redis. */
export async function runDevCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseFlags('dev', argv, {
    queues: { type: 'string' },
    concurrency: { type: 'string' },
    'http-port': { type: 'string' },
    'no-console': { type: 'boolean', default: false },
  });
  if (values.help) {
    io.stdout.write(`${devHelp}\n`);
    return 0;
  }
  const flags = readGlobalFlags(values, io.env);
  const [bundleArg, ...extra] = positionals;
  if (bundleArg === undefined) throw usageError('missing <bundle>: pass the folder or .mjs file holding your tasks, e.g. taskyard dev examples/bundle');
  if (extra.length > 0) throw usageError(`unexpected arguments ${extra.join(' ')}: dev takes one <bundle>`);
  const bundle = resolve(bundleArg);
  if (!existsSync(bundle)) {
    throw usageError(`bundle ${bundleArg} does not exist (looked at ${bundle}): pass the folder or .mjs file holding your tasks`);
  }
  const queues = (values.queues ?? 'default').split(',').map((q) => q.trim()).filter(Boolean);
  const badQueue = queues.find((q) => !QUEUE_NAME.test(q));
  if (queues.length === 0 || badQueue !== undefined) {
    throw usageError(`--queues has an invalid queue name ${JSON.stringify(badQueue ?? values.queues)}: use letters, digits, ".", "_" and "-", comma-separated, e.g. --queues default,emails`);
  }
  const concurrency = parseIntFlag('concurrency', values.concurrency, 1, 10_000) ?? 4;
  const httpPort = parseIntFlag('http-port', values['http-port'], 1, 65_535) ?? (await freePort());

  const workerBin = resolvePackageBin('@taskyard/worker-runtime', 'taskyard-worker');
  if (workerBin === undefined) {
    throw new CliError('the worker runtime is not installed: install @taskyard/worker-runtime next to @taskyard/client (in the Taskyard repo: npx tsc -b worker-runtime)');
  }

  const log = (msg: string, fields: Record<string, unknown> = {}): void => {
    io.stderr.write(flags.json ? `${JSON.stringify({ level: 'info', msg, component: 'taskyard-dev', ...fields })}\n` : `taskyard dev: ${msg}${Object.keys(fields).length ? ` ${Object.entries(fields).map(([k, v]) => `${k}=${String(v)}`).join(' ')}` : ''}\n`);
  };

  let redisUrl = flags.redisUrl;
  let localRedis: LocalRedis | undefined;
  const ping = await pingRedis(redisUrl);
  if (!ping.ok) {
    if (flags.redisUrlExplicit && !isLoopbackUrl(redisUrl)) {
      throw new CliError(`Redis at ${maskRedisUrl(redisUrl)} is not reachable (${ping.reason}): fix --redis / $REDIS_URL, or leave them unset so taskyard dev starts a local redis-server`);
    }
    localRedis = await startLocalRedis(io.env.TASKYARD_REDIS_SERVER || 'redis-server');
    log('no Redis answered, started a local redis-server (stopped on exit)', { tried: maskRedisUrl(redisUrl), reason: ping.reason, redisUrl: localRedis.url });
    redisUrl = localRedis.url;
  }

  const children: ChildProcess[] = [];
  // Children get their own process group (detached): a terminal's Ctrl-C then reaches only this
  // process, which asks them to drain with SIGTERM instead of killing them mid-task.
  const worker = spawn(process.execPath, [workerBin, 'run'], {
    stdio: ['ignore', 'inherit', 'inherit'],
    detached: true,
    env: {
      ...io.env,
      [RuntimeEnv.redisUrl]: redisUrl,
      [RuntimeEnv.prefix]: flags.prefix,
      [RuntimeEnv.queues]: queues.join(','),
      [RuntimeEnv.concurrency]: String(concurrency),
      [RuntimeEnv.bundlePath]: bundle,
      [RuntimeEnv.httpPort]: String(httpPort),
      [RuntimeEnv.pool]: io.env[RuntimeEnv.pool] || 'dev',
      TASKYARD_NAMESPACE: flags.namespace,
    },
  });
  children.push(worker);

  const consoleBin = values['no-console'] ? undefined : resolvePackageBin('@taskyard/console', 'taskyard-console');
  let consoleUrl: string | undefined;
  if (consoleBin !== undefined) {
    // Flower's port when it is free, as `celery flower` users expect; else any free one.
    const consolePort = (await isPortFree(5555)) ? 5555 : await freePort();
    consoleUrl = `http://127.0.0.1:${consolePort}/`;
    children.push(spawn(process.execPath, [consoleBin, '--port', String(consolePort), '--host', '127.0.0.1', '--prefix', flags.prefix, '--redis-url', redisUrl, '--queues', queues.join(',')], {
      stdio: ['ignore', 'inherit', 'inherit'],
      detached: true,
      env: io.env,
    }));
  } else if (!values['no-console']) {
    log('console not installed (@taskyard/console could not be resolved or is not built): running the worker only');
  }

  const summary = { redisUrl: maskRedisUrl(redisUrl), startedRedis: localRedis !== undefined, bundle, queues, concurrency, metrics: `http://127.0.0.1:${httpPort}/metrics`, console: consoleUrl ?? null, workerPid: worker.pid };
  if (flags.json) io.stdout.write(`${JSON.stringify(summary)}\n`);
  else {
    io.stdout.write(`taskyard dev: worker for ${bundleArg} on ${queues.join(', ')} (concurrency ${concurrency})\n` +
      `  redis    ${maskRedisUrl(redisUrl)}${localRedis ? ' (started here, stopped on exit)' : ''}\n` +
      `  metrics  http://127.0.0.1:${httpPort}/metrics\n` +
      `  console  ${consoleUrl ? `${consoleUrl} (its access token is in the console's log line)` : values['no-console'] ? 'off (--no-console)' : 'not installed'}\n` +
      `  enqueue  taskyard enqueue <task> --args '[...]' --redis ${maskRedisUrl(redisUrl)}\n` +
      '  Ctrl-C drains running tasks and stops.\n');
  }

  let stopping = false;
  const stopAll = (): void => {
    if (stopping) return;
    stopping = true;
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  };
  const onSignal = (): void => stopAll();
  // Last resort when this process dies without draining (an uncaught error): no orphans.
  const onExit = (): void => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('exit', onExit);

  const workerExit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) => {
    worker.once('exit', (code, signal) => done({ code, signal }));
  });
  const workerDiedOnItsOwn = !stopping;
  stopAll();
  await Promise.all(children.map((child) => child.exitCode !== null || child.signalCode !== null ? undefined : new Promise((done) => child.once('exit', done))));
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  process.off('exit', onExit);
  if (localRedis) await localRedis.stop();
  if (workerDiedOnItsOwn) {
    throw new CliError(`the worker exited on its own (${workerExit.signal ?? `code ${workerExit.code}`}); its log above says why (a bundle error names the file and the fix)`);
  }
  log('stopped');
  return 0;
}
