import type { ConnectionOptions } from 'bullmq';

/** BullMQ connection options from a redis:// URL (host, port, password, db). */
export function redisConnectionOptions(url: string): ConnectionOptions {
  const parsed = new URL(url);
  const db = parsed.pathname.length > 1 ? Number(parsed.pathname.slice(1)) : 0;
  return {
    host: parsed.hostname,
    port: parsed.port ? Number(parsed.port) : 6379,
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
    ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
    db,
    maxRetriesPerRequest: null,
  };
}
