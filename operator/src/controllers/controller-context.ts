import type { Schedule, TaskQueue, WorkerPool } from '@taskyard/api';
import type { Clock } from '../clock/clock.js';
import type { OperatorConfig } from '../config/operator-config.js';
import type { CronJobView, DeploymentView, PodView } from '../kube/child-views.js';
import type { EventRecorder } from '../kube/event-recorder.js';
import type { Informer } from '../kube/informer.js';
import type { KubeClient } from '../kube/kube-client.js';
import type { Logger } from '@taskyard/api';
import type { OperatorMetrics } from '../observability/operator-metrics.js';
import type { RedisConnections } from '../redis/redis-connections.js';

/** Objects as the informers hold them: the API server's JSON (validated by the reconcilers before use). */
export type Stored<T> = T & { metadata: { deletionTimestamp?: string; finalizers?: string[] } };

/** What every reconciler shares: clients, caches, configuration and observability. */
export interface ControllerContext {
  config: OperatorConfig;
  client: KubeClient;
  redis: RedisConnections;
  events: EventRecorder;
  metrics: OperatorMetrics;
  log: Logger;
  /** The time of every timing decision (system clock in the operator, a fake one in tests). */
  clock: Clock;
  informers: {
    taskQueues: Informer<Stored<TaskQueue>>;
    workerPools: Informer<Stored<WorkerPool>>;
    schedules: Informer<Stored<Schedule>>;
    deployments: Informer<DeploymentView>;
    cronJobs: Informer<CronJobView>;
    pods: Informer<PodView>;
  };
}
