import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The operator's Prometheus metrics, on a registry of its own (served at /metrics). */
export class OperatorMetrics {
  readonly registry = new Registry();
  readonly reconciles = new Counter({
    name: 'taskyard_operator_reconcile_total',
    help: 'Reconciles run, by kind and result (success, error).',
    labelNames: ['kind', 'result'] as const,
    registers: [this.registry],
  });
  readonly reconcileErrors = new Counter({
    name: 'taskyard_operator_reconcile_errors_total',
    help: 'Reconciles that failed and were retried with backoff, by kind.',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });
  readonly reconcileDuration = new Histogram({
    name: 'taskyard_operator_reconcile_duration_seconds',
    help: 'Time one reconcile took, by kind.',
    labelNames: ['kind'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly queueDepth = new Gauge({
    name: 'taskyard_queue_tasks',
    help: 'Tasks in a TaskQueue by state (waiting, prioritized, active, delayed, failed, completed, dead), at the last refresh.',
    labelNames: ['namespace', 'queue', 'state'] as const,
    registers: [this.registry],
  });
  readonly desiredReplicas = new Gauge({
    name: 'taskyard_workerpool_desired_replicas',
    help: 'Replicas the operator wants for a WorkerPool.',
    labelNames: ['namespace', 'pool'] as const,
    registers: [this.registry],
  });
  readonly actualReplicas = new Gauge({
    name: 'taskyard_workerpool_replicas',
    help: "Pods of a WorkerPool's Deployment (status.replicas).",
    labelNames: ['namespace', 'pool'] as const,
    registers: [this.registry],
  });
  readonly workQueueDepth = new Gauge({
    name: 'taskyard_operator_workqueue_depth',
    help: 'Keys waiting in or being reconciled by a work queue, by kind (timed requeues not counted).',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });
  readonly leader = new Gauge({
    name: 'taskyard_operator_leader',
    help: '1 while this replica holds the leader Lease.',
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'taskyard_operator_' });
  }
}
