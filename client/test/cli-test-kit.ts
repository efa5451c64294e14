/**
 * Helpers for the CLI tests: run the compiled `taskyard` command as a user would, and run a real
 * worker for examples/bundle through `taskyard dev` (the worker runtime in a child process).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';

export const REDIS_URL = process.env.TASKYARD_TEST_REDIS_URL ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
export const CLI = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));
export const EXAMPLE_BUNDLE = fileURLToPath(new URL('../../../examples/bundle', import.meta.url));

export const rand = (p: string): string => `${p}-${randomBytes(4).toString('hex')}`;

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `taskyard ...args` to completion (prefix and Redis come from the environment, as for a user). */
export function taskyard(args: string[], env: Record<string, string> = {}, stdin?: string): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      env: { ...process.env, REDIS_URL, TASKYARD_REDIS_URL: '', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => { stdout += c.toString(); });
    child.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin ?? '');
  });
}

/** Runs `taskyard ...args --json` and parses stdout; fails with both streams when it exits non-zero. */
export async function taskyardJson<T>(args: string[], env: Record<string, string> = {}): Promise<T> {
  const run = await taskyard([...args, '--json'], env);
  if (run.code !== 0) throw new Error(`taskyard ${args.join(' ')} exited ${run.code}\nstdout: ${run.stdout}\nstderr: ${run.stderr}`);
  return JSON.parse(run.stdout) as T;
}

/** Polls `check` until it returns a value that is not undefined; fails naming `what` after `timeoutMs`. */
export async function eventually<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** What `taskyard dev --json` prints first on stdout. */
export interface DevSummary {
  redisUrl: string;
  startedRedis: boolean;
  queues: string[];
  metrics: string;
  workerPid: number;
}

/** A `taskyard dev` process with its output so far. */
export interface DevProcess {
  child: ChildProcess;
  summary: DevSummary;
  output(): string;
  /** SIGTERM (what Ctrl-C leads to) and wait; resolves with the exit code. */
  stop(): Promise<number | null>;
}

/**
 * Starts `taskyard dev <bundle> --json` and waits until its worker answers /readyz. `args` are extra
 * flags (queues, Redis...). Extra env (e.g. EMAIL_SINK_URL) reaches the worker.
 */
export async function startDev(bundle: string, args: string[], env: Record<string, string> = {}): Promise<DevProcess> {
  const child = spawn(process.execPath, [CLI, 'dev', bundle, '--json', '--no-console', '--concurrency', '4', ...args], {
    env: { ...process.env, REDIS_URL, TASKYARD_REDIS_URL: '', TASKYARD_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (c: Buffer) => { stdout += c.toString(); });
  child.stderr?.on('data', (c: Buffer) => { stderr += c.toString(); });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const output = (): string => `stdout:\n${stdout}\nstderr:\n${stderr}`;
  const summary = await eventually('taskyard dev to print its summary', async () => {
    if (child.exitCode !== null) throw new Error(`taskyard dev exited ${child.exitCode}\n${output()}`);
    const line = stdout.split('\n').find((l) => l.startsWith('{'));
    return line ? (JSON.parse(line) as DevSummary) : undefined;
  }, 30_000);
  const readyz = summary.metrics.replace(/\/metrics$/, '/readyz');
  await eventually('the worker to be ready', async () => {
    if (child.exitCode !== null) throw new Error(`taskyard dev exited ${child.exitCode}\n${output()}`);
    const res = await fetch(readyz).catch(() => undefined);
    return res?.ok ? true : undefined;
  }, 60_000);
  return {
    child,
    summary,
    output,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

/** Deletes every key under `prefix` (each test file uses its own prefix). */
export async function deleteKeys(redisUrl: string, prefix: string): Promise<void> {
  const redis = new Redis(redisUrl);
  try {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
  } finally {
    redis.disconnect();
  }
}
