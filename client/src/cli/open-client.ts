import { maskRedisUrl } from '@taskyard/api/wire';
import { TaskyardClient } from '../taskyard-client.js';
import { CliError } from './cli-error.js';
import type { GlobalFlags } from './global-flags.js';
import { pingRedis } from './ping-redis.js';

/**
 * Runs `work` with a client on the flags' Redis (in `namespace`, default the flags') and closes it
 * afterwards. Redis is pinged first so a wrong URL gives one clear line naming the flag (the URL's
 * password masked), instead of a connection error deep inside.
 */
export async function withClient<T>(flags: GlobalFlags, work: (client: TaskyardClient) => Promise<T>, namespace = flags.namespace): Promise<T> {
  const ping = await pingRedis(flags.redisUrl);
  if (!ping.ok) {
    throw new CliError(
      `cannot reach Redis at ${maskRedisUrl(flags.redisUrl)} (${ping.reason}): start Redis there, or pass --redis redis://HOST:PORT ` +
        '(or set REDIS_URL); `taskyard dev <bundle>` starts a local one',
    );
  }
  const client = new TaskyardClient({ redisUrl: flags.redisUrl, prefix: flags.prefix, namespace });
  try {
    // The SDK connects lazily inside its own calls; the CLI also reads the worker registry and
    // the namespace's queues on client.connection, so connect it up front.
    if (client.connection.status === 'wait') {
      await client.connection.connect().catch((err: unknown) => {
        throw new CliError(`cannot reach Redis at ${maskRedisUrl(flags.redisUrl)} (${(err as Error).message}): check --redis / $REDIS_URL`);
      });
    }
    return await work(client);
  } finally {
    await client.close();
  }
}
