import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CliError } from './cli-error.js';
import { freePort } from './free-port.js';
import { pingRedis } from './ping-redis.js';

/** A redis-server this process started; `stop()` ends it and removes its directory. */
export interface LocalRedis {
  url: string;
  stop(): Promise<void>;
}

/**
 * Starts `redis-server` on a free 127.0.0.1 port with nothing persisted (a scratch Redis for
 * `taskyard dev`, like `celery worker` against a laptop's broker) and waits until it answers PING.
 */
export async function startLocalRedis(redisServer = 'redis-server'): Promise<LocalRedis> {
  const port = await freePort();
  const dir = await mkdtemp(join(tmpdir(), 'taskyard-dev-redis-'));
  const child = spawn(redisServer, ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no'], {
    stdio: ['ignore', 'ignore', 'pipe'],
    // Own process group: a terminal's Ctrl-C must not stop Redis before the worker has drained.
    detached: true,
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-2000);
  });
  const spawnError = await new Promise<NodeJS.ErrnoException | undefined>((resolve) => {
    child.once('error', resolve);
    child.once('spawn', () => resolve(undefined));
  });
  if (spawnError) {
    await rm(dir, { recursive: true, force: true });
    throw new CliError(
      spawnError.code === 'ENOENT'
        ? `no Redis is reachable and ${redisServer} is not installed: install it (Debian: apt-get install redis-server) or pass --redis redis://HOST:PORT`
        : `could not start ${redisServer}: ${spawnError.message}`,
    );
  }
  const url = `redis://127.0.0.1:${port}`;
  const killOnExit = (): void => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  process.on('exit', killOnExit);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    process.off('exit', killOnExit);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
    await rm(dir, { recursive: true, force: true });
  };
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) break;
    if ((await pingRedis(url, 500)).ok) return { url, stop };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await stop();
  throw new CliError(`${redisServer} on port ${port} did not come up: ${stderr.trim() || 'no output'}`);
}
