/** Field manager of every write the operator makes (server-side apply and patches). */
export const FIELD_MANAGER = 'taskyard-operator';

/** Labels and annotations the operator puts on what it creates. */
export const OperatorLabels = {
  managedBy: 'app.kubernetes.io/managed-by',
  name: 'app.kubernetes.io/name',
  instance: 'app.kubernetes.io/instance',
  component: 'app.kubernetes.io/component',
  /** On worker Deployments and their pods: the WorkerPool's name (the Deployment's selector). */
  workerPool: 'taskyard.dev/worker-pool',
  /** On beat CronJobs and their Jobs/pods: the Schedule's name. */
  schedule: 'taskyard.dev/schedule',
  /** Annotation: hash of the rendered child, so unchanged children are not re-applied on every poll. */
  specHash: 'taskyard.dev/spec-hash',
  /** Annotation Kubernetes reads on scale-down: pods with a lower cost go first. */
  podDeletionCost: 'controller.kubernetes.io/pod-deletion-cost',
  /** Label Kubernetes puts on a Job's pods: the Job's name (whose suffix is the tick in minutes). */
  jobName: 'batch.kubernetes.io/job-name',
} as const;

/** The value of app.kubernetes.io/managed-by on children, and the label selector of the child informers. */
export const MANAGED_BY = 'taskyard-operator';
