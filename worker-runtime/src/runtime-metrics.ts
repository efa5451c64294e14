import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Labelled series of one queue and task. */
export interface TaskSeries {
  success: Counter.Internal;
  duration: Histogram.Internal<'queue' | 'task'>;
  active: Gauge.Internal<'queue'>;
}

/** The worker's Prometheus metrics (own registry, so several workers can live in one process). */
export class RuntimeMetrics {
  readonly registry = new Registry();
  /** Finished runs by outcome: state = SUCCESS | FAILURE | RETRY | REVOKED. */
  readonly tasks = new Counter({
    name: 'taskyard_tasks_total',
    help: 'Task runs finished, by queue, task name and Celery state (SUCCESS, FAILURE, RETRY, REVOKED)',
    labelNames: ['queue', 'task', 'state'] as const,
    registers: [this.registry],
  });
  readonly duration = new Histogram({
    name: 'taskyard_task_duration_seconds',
    help: 'Run time of a task attempt, by queue and task name',
    labelNames: ['queue', 'task'] as const,
    buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300],
    registers: [this.registry],
  });
  readonly startDelay = new Histogram({
    name: 'taskyard_task_start_delay_seconds',
    help: 'Time from the moment a task was due (enqueued, or its countdown/eta) to its start, by queue',
    labelNames: ['queue'] as const,
    buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30, 120],
    registers: [this.registry],
  });
  readonly active = new Gauge({
    name: 'taskyard_tasks_active',
    help: 'Tasks running now in this worker, by queue',
    labelNames: ['queue'] as const,
    registers: [this.registry],
  });

  private readonly children = new Map<string, TaskSeries>();

  /** Labelled series of one queue+task, cached: the per-task hot path skips prom-client's label hashing. */
  series(queue: string, task: string): TaskSeries {
    const key = `${queue}\u0000${task}`;
    let s = this.children.get(key);
    if (!s) {
      s = {
        success: this.tasks.labels({ queue, task, state: 'SUCCESS' }),
        duration: this.duration.labels({ queue, task }),
        active: this.active.labels({ queue }),
      };
      this.children.set(key, s);
    }
    return s;
  }

  private readonly delayChildren = new Map<string, Histogram.Internal<'queue'>>();

  /** The start-delay series of one queue, cached. */
  startDelaySeries(queue: string): Histogram.Internal<'queue'> {
    let h = this.delayChildren.get(queue);
    if (!h) {
      h = this.startDelay.labels({ queue });
      this.delayChildren.set(queue, h);
    }
    return h;
  }

  constructor(defaultMetrics = true) {
    if (defaultMetrics) collectDefaultMetrics({ register: this.registry });
  }
}
