import type { Logger } from '@taskyard/api';
import { maskRedisUrl, type RedisConnection } from '@taskyard/api/wire';

/** Follows the console's Redis connection: logs outages once (URL masked) and says why Redis is down. */
export class RedisHealth {
  private lastError: string | undefined;

  constructor(
    private readonly redis: RedisConnection,
    private readonly url: string,
    log: Logger,
  ) {
    redis.on('error', (err: Error) => {
      if (this.lastError !== err.message) log.warn('redis connection problem', { redis: maskRedisUrl(url), error: err });
      this.lastError = err.message;
    });
    redis.on('ready', () => {
      if (this.lastError) log.info('redis connection back', { redis: maskRedisUrl(url) });
      this.lastError = undefined;
    });
  }

  /** Why Redis is unreachable right now, or undefined when the connection is ready. */
  down(): string | undefined {
    return this.redis.status === 'ready' ? undefined : `cannot reach ${maskRedisUrl(this.url)}: ${this.lastError ?? `connection ${this.redis.status}`}`;
  }

  /** Waits up to `ms` for the connection to be ready (a Redis that is down is not fatal). */
  async settle(ms: number): Promise<void> {
    if (this.redis.status === 'ready') return;
    await new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.redis.off('ready', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.redis.once('ready', done);
    });
  }
}
