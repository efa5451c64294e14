import type { RedisConnection } from '@taskyard/api/wire';
import { RedisUnavailableError } from './errors.js';

/**
 * Connects the client's own connection on first use and reports an outage as RedisUnavailableError
 * (the connection has no offline queue, so calls fail fast instead of hanging).
 */
export class ConnectionGuard {
  constructor(
    private readonly connection: RedisConnection,
    private readonly owned: boolean,
  ) {}

  async run<T>(operation: string, work: () => Promise<T>): Promise<T> {
    if (this.owned && this.connection.status !== 'ready') await this.connect(operation);
    try {
      return await work();
    } catch (err) {
      if (isConnectionError(err) || this.connection.status !== 'ready') throw new RedisUnavailableError(operation, err);
      throw err;
    }
  }

  private async connect(operation: string): Promise<void> {
    const c = this.connection;
    if (c.status === 'wait') {
      await c.connect().catch((err: unknown) => {
        throw new RedisUnavailableError(operation, err);
      });
      return;
    }
    if (c.status === 'end') throw new RedisUnavailableError(operation, new Error('client closed'));
    // connecting / reconnecting: wait briefly for ready
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        c.off('ready', onReady);
        reject(new RedisUnavailableError(operation, new Error(`not connected (status ${c.status})`)));
      }, 2000);
      const onReady = (): void => {
        clearTimeout(timer);
        resolve();
      };
      c.once('ready', onReady);
    });
  }
}

function isConnectionError(err: unknown): boolean {
  const msg = (err as Error)?.message ?? '';
  return /ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|Connection is closed|enableOfflineQueue|Stream isn't writeable|max retries per request|MaxRetriesPerRequest|None of startup nodes/i.test(msg);
}
