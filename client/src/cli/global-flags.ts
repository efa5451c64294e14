import { DEFAULT_PREFIX } from '@taskyard/api';

/** Flags every subcommand takes (node:util parseArgs option config). */
export const globalFlagConfig = {
  redis: { type: 'string' },
  prefix: { type: 'string' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

export const globalFlagHelp = [
  '  --redis URL      Redis to use (default $TASKYARD_REDIS_URL, else $REDIS_URL, else redis://127.0.0.1:6379)',
  '  --prefix NAME    BullMQ key prefix (default $TASKYARD_PREFIX, else "taskyard")',
  '  --json           machine-readable output: one JSON document on stdout',
  '  -h, --help       this help',
].join('\n');

export interface GlobalFlags {
  redisUrl: string;
  /** True when the URL came from --redis or the environment rather than the built-in default. */
  redisUrlExplicit: boolean;
  prefix: string;
  json: boolean;
}

export function readGlobalFlags(values: { redis?: string; prefix?: string; json?: boolean }, env: NodeJS.ProcessEnv): GlobalFlags {
  const fromEnv = env.TASKYARD_REDIS_URL || env.REDIS_URL;
  return {
    redisUrl: values.redis ?? fromEnv ?? 'redis://127.0.0.1:6379',
    redisUrlExplicit: values.redis !== undefined || fromEnv !== undefined,
    prefix: values.prefix ?? (env.TASKYARD_PREFIX || DEFAULT_PREFIX),
    json: values.json ?? false,
  };
}
