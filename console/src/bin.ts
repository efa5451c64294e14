#!/usr/bin/env node
import { startConsole } from './start-console.js';

/**
 * `taskyard-console [--port N] [--host H] [--prefix P] [--queues a,b]`: the console against $REDIS_URL
 * (or $TASKYARD_REDIS_URL). Token: $TASKYARD_CONSOLE_TOKEN or the file in $TASKYARD_CONSOLE_TOKEN_FILE;
 * without either a token is generated and printed. Stops on SIGINT/SIGTERM.
 */
function flags(argv: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--help' || arg === '-h') {
      process.stdout.write('usage: taskyard-console [--port 5555] [--host 127.0.0.1] [--prefix taskyard] [--queues a,b] [--redis-url URL]\n' +
        'env: REDIS_URL / TASKYARD_REDIS_URL, TASKYARD_CONSOLE_TOKEN or TASKYARD_CONSOLE_TOKEN_FILE, KUBECONFIG (schedules)\n');
      process.exit(0);
    }
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (!m?.[1]) throw new Error(`unknown argument ${JSON.stringify(arg)}; see --help`);
    out[m[1]] = m[2] ?? argv[++i] ?? '';
  }
  return out;
}

const f = flags(process.argv.slice(2));
const known = ['port', 'host', 'prefix', 'queues', 'redis-url'];
for (const k of Object.keys(f)) if (!known.includes(k)) throw new Error(`unknown flag --${k}; known: ${known.map((x) => `--${x}`).join(', ')}`);
if (f.port !== undefined && !/^\d+$/.test(f.port)) throw new Error(`--port must be a number, got ${JSON.stringify(f.port)}`);
const handle = await startConsole({
  ...(f.port !== undefined ? { port: Number(f.port) } : {}),
  ...(f.host !== undefined ? { host: f.host } : {}),
  ...(f.prefix !== undefined ? { prefix: f.prefix } : {}),
  ...(f['redis-url'] !== undefined ? { redisUrl: f['redis-url'] } : {}),
  ...(f.queues !== undefined ? { queues: f.queues.split(',').filter(Boolean) } : {}),
});
const stop = (): void => {
  void handle.close().then(() => process.exit(0));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
