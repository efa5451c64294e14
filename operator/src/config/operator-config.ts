import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { parseArgs } from 'node:util';
import { DEFAULT_PREFIX, parseLogLevel, type LogLevel } from '@taskyard/api';

/** Everything the operator is configured with (from flags, then environment variables, then defaults). */
export interface OperatorConfig {
  /** Default Redis of TaskQueues without spec.redis, as the operator reaches it. Env TASKYARD_REDIS_URL. */
  redisUrl: string | undefined;
  /** Default Redis URL written into worker and beat pods. Env TASKYARD_WORKER_REDIS_URL; default redisUrl. */
  workerRedisUrl: string | undefined;
  /** BullMQ key prefix. Env TASKYARD_PREFIX; default "taskyard". */
  prefix: string;
  /** Worker runtime image of worker and beat pods. Env TASKYARD_RUNTIME_IMAGE. */
  runtimeImage: string;
  /** Watch one namespace only; undefined = all. Env TASKYARD_WATCH_NAMESPACE. */
  watchNamespace: string | undefined;
  /** Port of /metrics, /healthz, /readyz. Env TASKYARD_HTTP_PORT; default 8080. */
  httpPort: number;
  /** Elect a leader with a Lease (off: this replica always leads). Env TASKYARD_LEADER_ELECT; default true. */
  leaderElect: boolean;
  /** Namespace of the leader Lease. Env TASKYARD_LEASE_NAMESPACE, else POD_NAMESPACE, else "default". */
  leaseNamespace: string;
  /** Name of the leader Lease. Env TASKYARD_LEASE_NAME; default "taskyard-operator". */
  leaseName: string;
  /** Lease duration, s. Env TASKYARD_LEASE_DURATION_SECONDS; default 15. */
  leaseDurationSeconds: number;
  /** Renew deadline, s. Env TASKYARD_LEASE_RENEW_DEADLINE_SECONDS; default 10. */
  leaseRenewDeadlineSeconds: number;
  /** Retry period, s. Env TASKYARD_LEASE_RETRY_SECONDS; default 2. */
  leaseRetrySeconds: number;
  /** This replica's identity in the Lease. Env POD_NAME plus a random suffix; default hostname. */
  identity: string;
  /** Seconds between TaskQueue status refreshes (counts). Env TASKYARD_STATUS_REFRESH_SECONDS; default 5. */
  statusRefreshSeconds: number;
  /** Reconciles run at once per kind. Env TASKYARD_RECONCILE_CONCURRENCY; default 8. */
  reconcileConcurrency: number;
  /** Env TASKYARD_LOG_LEVEL; default info. */
  logLevel: LogLevel;
}

/** Flag name (without --) → environment variable it overrides. */
export const FLAG_ENV: Readonly<Record<string, string>> = {
  'redis-url': 'TASKYARD_REDIS_URL',
  'worker-redis-url': 'TASKYARD_WORKER_REDIS_URL',
  prefix: 'TASKYARD_PREFIX',
  'runtime-image': 'TASKYARD_RUNTIME_IMAGE',
  namespace: 'TASKYARD_WATCH_NAMESPACE',
  'http-port': 'TASKYARD_HTTP_PORT',
  'leader-elect': 'TASKYARD_LEADER_ELECT',
  'lease-namespace': 'TASKYARD_LEASE_NAMESPACE',
  'lease-name': 'TASKYARD_LEASE_NAME',
  'lease-duration-seconds': 'TASKYARD_LEASE_DURATION_SECONDS',
  'lease-renew-deadline-seconds': 'TASKYARD_LEASE_RENEW_DEADLINE_SECONDS',
  'lease-retry-seconds': 'TASKYARD_LEASE_RETRY_SECONDS',
  'status-refresh-seconds': 'TASKYARD_STATUS_REFRESH_SECONDS',
  'reconcile-concurrency': 'TASKYARD_RECONCILE_CONCURRENCY',
  'log-level': 'TASKYARD_LOG_LEVEL',
};

/** Default worker runtime image (built locally, never pulled). */
export const DEFAULT_RUNTIME_IMAGE = 'taskyard/runtime:0.1.0';

/**
 * Reads the configuration from `--flag value` / `--flag=value` arguments (node:util parseArgs) and the
 * environment. Pure apart from the hostname and random identity suffix. Throws an error naming the flag
 * and the expected form on bad input.
 */
export function readOperatorConfig(argv: readonly string[], env: NodeJS.ProcessEnv): OperatorConfig {
  const values: Record<string, string | undefined> = { ...env };
  let parsed: ReturnType<typeof parseFlags>;
  try {
    parsed = parseFlags(argv);
  } catch (error) {
    const code = (error as { code?: string }).code;
    const message = error instanceof Error ? error.message : String(error);
    const flag = /'(--?[^' ]+)/.exec(message)?.[1] ?? '';
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') throw new Error(`unknown flag ${flag}; known flags: ${Object.keys(FLAG_ENV).map((f) => `--${f}`).join(', ')}`);
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') throw new Error(`flag ${flag} needs a value (${message})`, { cause: error });
    if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') throw new Error(`${message}: flags look like --redis-url=redis://host:6379`);
    throw error;
  }
  for (const [flag, value] of Object.entries(parsed.values)) {
    const envName = FLAG_ENV[flag];
    if (envName && value !== undefined) values[envName] = String(value);
  }
  const int = (envName: string, fallback: number, min: number): number => {
    const raw = values[envName];
    if (raw === undefined || raw === '') return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min) throw new Error(`${envName}=${JSON.stringify(raw)} must be a whole number >= ${min}`);
    return n;
  };
  const bool = (envName: string, fallback: boolean): boolean => {
    const raw = values[envName];
    if (raw === undefined || raw === '') return fallback;
    if (/^(true|1|yes)$/i.test(raw)) return true;
    if (/^(false|0|no)$/i.test(raw)) return false;
    throw new Error(`${envName}=${JSON.stringify(raw)} must be true or false`);
  };
  const logLevel = parseLogLevel(values.TASKYARD_LOG_LEVEL, 'TASKYARD_LOG_LEVEL');
  const redisUrl = values.TASKYARD_REDIS_URL || undefined;
  return {
    redisUrl,
    workerRedisUrl: values.TASKYARD_WORKER_REDIS_URL || redisUrl,
    prefix: values.TASKYARD_PREFIX || DEFAULT_PREFIX,
    runtimeImage: values.TASKYARD_RUNTIME_IMAGE || DEFAULT_RUNTIME_IMAGE,
    watchNamespace: values.TASKYARD_WATCH_NAMESPACE || undefined,
    httpPort: int('TASKYARD_HTTP_PORT', 8080, 0),
    leaderElect: bool('TASKYARD_LEADER_ELECT', true),
    leaseNamespace: values.TASKYARD_LEASE_NAMESPACE || values.POD_NAMESPACE || 'default',
    leaseName: values.TASKYARD_LEASE_NAME || 'taskyard-operator',
    leaseDurationSeconds: int('TASKYARD_LEASE_DURATION_SECONDS', 15, 1),
    leaseRenewDeadlineSeconds: int('TASKYARD_LEASE_RENEW_DEADLINE_SECONDS', 10, 1),
    leaseRetrySeconds: int('TASKYARD_LEASE_RETRY_SECONDS', 2, 1),
    identity: `${values.POD_NAME || hostname()}_${randomBytes(4).toString('hex')}`,
    statusRefreshSeconds: int('TASKYARD_STATUS_REFRESH_SECONDS', 5, 1),
    reconcileConcurrency: int('TASKYARD_RECONCILE_CONCURRENCY', 8, 1),
    logLevel,
  };
}

/** The flags of FLAG_ENV for parseArgs: every one takes a value, but --[no-]leader-elect is a switch. */
function parseFlags(argv: readonly string[]) {
  const options = Object.fromEntries(Object.keys(FLAG_ENV).map((flag) => [flag, { type: flag === 'leader-elect' ? ('boolean' as const) : ('string' as const) }]));
  return parseArgs({ args: [...argv], options, strict: true, allowPositionals: false, allowNegative: true });
}
