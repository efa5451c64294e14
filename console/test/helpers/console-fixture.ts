import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { startConsole, type ConsoleHandle, type ConsoleOptions } from '../../src/index.js';

export const TOKEN = 'test-console-token';

/** The test Redis (scripts/with-redis.sh exports it). */
export function testRedisUrl(): string {
  const url = process.env.TASKYARD_TEST_REDIS_URL ?? process.env.REDIS_URL;
  if (!url) throw new Error('REDIS_URL is not set: run the console tests under scripts/with-redis.sh');
  return url;
}

/** A key prefix of its own per test file, so tests never see each other's queues. */
export function randomPrefix(): string {
  return `tyc${randomBytes(4).toString('hex')}`;
}

export async function startTestConsole(prefix: string, options: ConsoleOptions = {}): Promise<ConsoleHandle> {
  return startConsole({
    redisUrl: testRedisUrl(),
    prefix,
    port: 0,
    token: TOKEN,
    kube: null,
    checkResponses: true,
    logLevel: 'error',
    liveIntervalMs: 200,
    ...options,
  });
}

export interface ErrorBody {
  error: { code: string; message: string; fields?: Array<{ field: string; message: string }> };
}

export interface Reply<T = ErrorBody> {
  status: number;
  body: T;
  headers: Headers;
}

/** Calls the console with the test token (or `token`, or none when null). */
export async function call<T = ErrorBody>(base: string, method: string, path: string, body?: unknown, token: string | null = TOKEN, rawBody?: string): Promise<Reply<T>> {
  const headers: Record<string, string> = {};
  if (token !== null) headers.authorization = `Bearer ${token}`;
  if (body !== undefined || rawBody !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(base + path, { method, headers, ...(rawBody !== undefined ? { body: rawBody } : body !== undefined ? { body: JSON.stringify(body) } : {}) });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T, headers: res.headers };
}

/** Polls `check` until it returns a value other than undefined/false; fails with `what` after the timeout. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs = 30_000, intervalMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** Deletes every key under the prefix. */
export async function dropPrefix(prefix: string): Promise<void> {
  const redis = new Redis(testRedisUrl(), { lazyConnect: true });
  await redis.connect();
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length) await redis.unlink(...keys);
  } while (cursor !== '0');
  redis.disconnect();
}
