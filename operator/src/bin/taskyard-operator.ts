#!/usr/bin/env -S node --max-semi-space-size=2 --optimize-for-size
import v8 from 'node:v8';

// Memory: the operator is long-lived and mostly idle; a small young generation and V8's size-over-speed mode keep
// its resident memory about a third lower (see bench/results/operator.json). The shebang passes the flags when
// run as a program; when started as `node .../taskyard-operator.js` they are set here, before anything is loaded.
if (process.env.TASKYARD_OPERATOR_V8_DEFAULTS !== 'false') v8.setFlagsFromString('--optimize-for-size');
const { KubeConfig } = await import('@kubernetes/client-node');
const { readOperatorConfig } = await import('../config/operator-config.js');
const { operatorLogger } = await import('../observability/operator-logger.js');
const { OperatorManager } = await import('../operator-manager.js');

const usage = `taskyard-operator [--flag value ...]
Reconciles TaskQueue, WorkerPool and Schedule (taskyard.dev/v1alpha1). Runs in-cluster (service account) or
from KUBECONFIG / ~/.kube/config. Each flag overrides an environment variable (see operator/README.md):
  --redis-url URL            TASKYARD_REDIS_URL: default Redis of TaskQueues without spec.redis
  --worker-redis-url URL     TASKYARD_WORKER_REDIS_URL: that Redis as pods reach it (default: --redis-url)
  --runtime-image REF        TASKYARD_RUNTIME_IMAGE
  --prefix P                 TASKYARD_PREFIX (default taskyard)
  --namespace NS             TASKYARD_WATCH_NAMESPACE: watch one namespace only (default: all)
  --http-port N              TASKYARD_HTTP_PORT: /metrics /healthz /readyz (default 8080)
  --[no-]leader-elect        TASKYARD_LEADER_ELECT (default true)
  --lease-namespace NS       TASKYARD_LEASE_NAMESPACE (default POD_NAMESPACE, else default)
  --lease-name NAME, --lease-duration-seconds N, --lease-renew-deadline-seconds N, --lease-retry-seconds N
  --status-refresh-seconds N, --reconcile-concurrency N, --log-level debug|info|warn|error`;

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${usage}\n`);
    return;
  }
  const config = readOperatorConfig(argv, process.env);
  const kc = new KubeConfig();
  try {
    kc.loadFromDefault();
  } catch (error) {
    throw new Error(
      `cannot load the kubeconfig (KUBECONFIG=${process.env.KUBECONFIG ?? '(unset)'}): ${error instanceof Error ? error.message : String(error)}; point KUBECONFIG at a kubeconfig file or run in a pod with a service account`,
    );
  }
  const log = operatorLogger(config.logLevel);
  const manager = new OperatorManager(config, kc, log);
  let exiting = false;
  const shutdown = (signal: string, code: number) => {
    if (exiting) return;
    exiting = true;
    log.info('shutting down', { signal });
    const force = setTimeout(() => process.exit(code), 20_000);
    force.unref();
    void manager.stop().finally(() => process.exit(code));
  };
  manager.onLostLeadership = () => shutdown('lost-leadership', 1);
  process.on('SIGTERM', () => shutdown('SIGTERM', 0));
  process.on('SIGINT', () => shutdown('SIGINT', 0));
  await manager.start();
}

main().catch((error: unknown) => {
  operatorLogger('error').error('taskyard-operator failed to start', { error });
  process.exit(1);
});
