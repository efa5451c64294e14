#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { startConsole } from './start-console.js';

/**
 * `taskyard-console [--port N] [--host H] [--prefix P] [--queues ns/a,b] [--default-namespace NS] [--redis-url URL]`:
 * the console against $TASKYARD_REDIS_URL (or $REDIS_URL), showing the queues of every namespace. Token:
 * $TASKYARD_CONSOLE_TOKEN or the file in $TASKYARD_CONSOLE_TOKEN_FILE; without either a token is generated
 * and printed. Stops on SIGINT/SIGTERM.
 */
const usage =
  'usage: taskyard-console [--port 5555] [--host 127.0.0.1] [--prefix taskyard] [--queues ns/a,b] [--default-namespace default] [--redis-url URL]\n' +
  'env: TASKYARD_REDIS_URL / REDIS_URL (redis://, rediss://, redis-sentinel://, redis-cluster://), TASKYARD_NAMESPACE,\n' +
  '     TASKYARD_CONSOLE_TOKEN or TASKYARD_CONSOLE_TOKEN_FILE, KUBECONFIG (schedules)\n';

let values: Record<string, string | boolean | undefined>;
try {
  ({ values } = parseArgs({
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      prefix: { type: 'string' },
      queues: { type: 'string' },
      'default-namespace': { type: 'string' },
      'redis-url': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: false,
  }));
} catch (err) {
  process.stderr.write(`${(err as Error).message}\n${usage}`);
  process.exit(2);
}
if (values.help) {
  process.stdout.write(usage);
  process.exit(0);
}
const text = (name: string): string | undefined => (typeof values[name] === 'string' ? (values[name] as string) : undefined);
const port = text('port');
if (port !== undefined && !/^\d+$/.test(port)) {
  process.stderr.write(`--port must be a number, got ${JSON.stringify(port)}\n`);
  process.exit(2);
}
const handle = await startConsole({
  ...(port !== undefined ? { port: Number(port) } : {}),
  ...(text('host') !== undefined ? { host: text('host') as string } : {}),
  ...(text('prefix') !== undefined ? { prefix: text('prefix') as string } : {}),
  ...(text('redis-url') !== undefined ? { redisUrl: text('redis-url') as string } : {}),
  ...(text('default-namespace') !== undefined ? { defaultNamespace: text('default-namespace') as string } : {}),
  ...(text('queues') !== undefined ? { queues: (text('queues') as string).split(',').filter(Boolean) } : {}),
});
const stop = (): void => {
  void handle.close().then(() => process.exit(0));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
