import { DEFAULT_PREFIX } from '@taskyard/api';
import { invalidNameReason } from '@taskyard/api/wire';
import { clientNamespace } from '../client-namespace.js';
import { usageError } from './cli-error.js';

/** Flags every subcommand takes (node:util parseArgs option config). */
export const globalFlagConfig = {
  redis: { type: 'string' },
  prefix: { type: 'string' },
  namespace: { type: 'string', short: 'n' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

export const globalFlagHelp = [
  '  --redis URL         Redis to use: redis://, rediss://, redis-sentinel://h:p,h:p/master or',
  '                      redis-cluster://h:p,h:p (default $TASKYARD_REDIS_URL, else $REDIS_URL, else redis://127.0.0.1:6379)',
  '  -n, --namespace NS  namespace of the queues (default $TASKYARD_NAMESPACE, else $POD_NAMESPACE, else "default");',
  '                      a queue may also be written ns/queue',
  '  --prefix NAME       BullMQ key prefix (default $TASKYARD_PREFIX, else "taskyard")',
  '  --json              machine-readable output: one JSON document on stdout',
  '  -h, --help          this help',
].join('\n');

export interface GlobalFlags {
  redisUrl: string;
  /** True when the URL came from --redis or the environment rather than the built-in default. */
  redisUrlExplicit: boolean;
  prefix: string;
  namespace: string;
  json: boolean;
}

export function readGlobalFlags(values: { redis?: string; prefix?: string; namespace?: string; json?: boolean }, env: NodeJS.ProcessEnv): GlobalFlags {
  const fromEnv = env.TASKYARD_REDIS_URL || env.REDIS_URL;
  if (values.namespace !== undefined) {
    const bad = invalidNameReason('namespace', values.namespace);
    if (bad) throw usageError(`--namespace: ${bad}`);
  }
  let namespace: string;
  try {
    namespace = clientNamespace(values.namespace, env);
  } catch (err) {
    throw usageError(`${(err as Error).message}; pass --namespace NS`);
  }
  return {
    redisUrl: values.redis ?? fromEnv ?? 'redis://127.0.0.1:6379',
    redisUrlExplicit: values.redis !== undefined || fromEnv !== undefined,
    prefix: values.prefix ?? (env.TASKYARD_PREFIX || DEFAULT_PREFIX),
    namespace,
    json: values.json ?? false,
  };
}
