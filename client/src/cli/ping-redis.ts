import net from 'node:net';
import { parseRedisUrl } from '@taskyard/api/wire';

/** Outcome of one PING: `ok`, or why Redis could not be used (refused, timeout, auth required...). */
export type PingResult = { ok: true } | { ok: false; reason: string };

/**
 * Sends one RESP `PING` (after `AUTH` when the URL has a password) over a plain socket. Used before
 * opening real connections, which would otherwise retry for ever against a Redis that is not there.
 * Only redis:// URLs are probed; the other forms (rediss, sentinel, cluster) are only parsed here
 * and reached by the real connection. A URL of no known form gives the grammar (no password echoed).
 */
export async function pingRedis(url: string, timeoutMs = 2000): Promise<PingResult> {
  try {
    parseRedisUrl(url);
  } catch (err) {
    return { ok: false, reason: (err as Error).message };
  }
  if (!url.startsWith('redis://')) return { ok: true };
  const parsed = new URL(url);
  const host = parsed.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1';
  const port = parsed.port ? Number(parsed.port) : 6379;
  const password = parsed.password ? decodeURIComponent(parsed.password) : undefined;
  const username = parsed.username ? decodeURIComponent(parsed.username) : undefined;
  return new Promise<PingResult>((resolve) => {
    const socket = net.connect({ host, port });
    let buffer = '';
    const done = (result: PingResult): void => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(timeoutMs, () => done({ ok: false, reason: `no answer within ${timeoutMs} ms` }));
    socket.once('error', (err: NodeJS.ErrnoException) => done({ ok: false, reason: err.code ?? err.message }));
    socket.once('connect', () => {
      const auth = password === undefined ? [] : username ? ['AUTH', username, password] : ['AUTH', password];
      const commands = [...(auth.length ? [auth] : []), ['PING']];
      socket.write(commands.map(encodeCommand).join(''));
    });
    socket.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      const lines = buffer.split('\r\n').filter(Boolean);
      const error = lines.find((l) => l.startsWith('-'));
      if (error) return done({ ok: false, reason: error.slice(1) });
      if (lines.some((l) => l === '+PONG')) done({ ok: true });
    });
  });
}

function encodeCommand(parts: string[]): string {
  return `*${parts.length}\r\n${parts.map((p) => `$${Buffer.byteLength(p)}\r\n${p}\r\n`).join('')}`;
}
