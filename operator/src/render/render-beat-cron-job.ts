import type { V1CronJob, V1EnvVar } from '@kubernetes/client-node';
import { RuntimeCommand, RuntimeEnv, type Schedule } from '@taskyard/api';
import { childName } from './child-name.js';
import { MANAGED_BY, OperatorLabels } from './operator-labels.js';
import { ownerReference } from './owner-reference.js';
import { namespaceEnv } from './namespace-env.js';
import { redisUrlEnv, type RedisUrlSource } from './redis-url-source.js';
import { restrictedContainerSecurityContext, restrictedPodSecurityContext } from './restricted-security.js';
import { specHash } from './spec-hash.js';

/** Everything besides the Schedule that decides its CronJob. */
export interface BeatCronJobInput {
  /** The Schedule as read from the API server, defaults applied (scheduleSchema.parse). */
  schedule: Schedule;
  /** Cron expression (spec.cron, or the cron form of spec.every). */
  cron: string;
  /** IANA zone of the cron expression. */
  timeZone: string;
  runtimeImage: string;
  prefix: string;
  /** Redis of the Schedule's queue. */
  redisUrl: RedisUrlSource;
}

/** The CronJob name of a Schedule (CronJob names must fit 52 characters). */
export function beatCronJobName(scheduleName: string): string {
  return childName(scheduleName, 52);
}

/**
 * The CronJob whose pods run `taskyard-worker enqueue` for each tick of a Schedule. The tick's task id is
 * derived from the Schedule's uid and the Job name's minute suffix (JOB_NAME from the downward API), so a
 * retried or doubled beat pod enqueues once. Pure.
 */
export function renderBeatCronJob(input: BeatCronJobInput): V1CronJob {
  const { schedule } = input;
  const { spec } = schedule;
  const uid = schedule.metadata.uid;
  if (!uid) throw new Error(`Schedule ${schedule.metadata.name} has no metadata.uid: read it from the API server first`);
  const labels = {
    [OperatorLabels.name]: 'taskyard-beat',
    [OperatorLabels.instance]: schedule.metadata.name,
    [OperatorLabels.component]: 'beat',
    [OperatorLabels.managedBy]: MANAGED_BY,
    [OperatorLabels.schedule]: schedule.metadata.name,
  };
  const command = [
    ...RuntimeCommand.enqueue,
    '--queue',
    spec.queue,
    '--task',
    spec.task,
    '--args',
    JSON.stringify(spec.args),
    '--kwargs',
    JSON.stringify(spec.kwargs),
    '--options',
    JSON.stringify(spec.options ?? {}),
    '--schedule-id',
    uid,
    '--job-name',
    `$(${RuntimeEnv.jobName})`,
  ];
  const env: V1EnvVar[] = [
    redisUrlEnv(RuntimeEnv.redisUrl, input.redisUrl),
    { name: RuntimeEnv.prefix, value: input.prefix },
    { name: RuntimeEnv.jobName, valueFrom: { fieldRef: { fieldPath: `metadata.labels['${OperatorLabels.jobName}']` } } },
    { name: RuntimeEnv.podName, valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
    { name: RuntimeEnv.podNamespace, valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
    namespaceEnv(schedule.metadata.namespace),
  ];
  const cronSpec: NonNullable<V1CronJob['spec']> = {
    schedule: input.cron,
    timeZone: input.timeZone,
    concurrencyPolicy: spec.concurrencyPolicy,
    suspend: spec.suspend,
    successfulJobsHistoryLimit: 3,
    failedJobsHistoryLimit: 3,
    jobTemplate: {
      metadata: { labels },
      spec: {
        // Retries are safe: the tick's task id makes a second enqueue a no-op.
        backoffLimit: 4,
        activeDeadlineSeconds: 600,
        ttlSecondsAfterFinished: 86_400,
        template: {
          metadata: { labels },
          spec: {
            restartPolicy: 'Never',
            securityContext: restrictedPodSecurityContext(),
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            containers: [
              {
                name: 'enqueue',
                image: input.runtimeImage,
                imagePullPolicy: 'IfNotPresent',
                command,
                env,
                volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
                securityContext: restrictedContainerSecurityContext(),
                resources: { requests: { cpu: '10m', memory: '64Mi' }, limits: { memory: '256Mi' } },
              },
            ],
            volumes: [{ name: 'tmp', emptyDir: {} }],
          },
        },
      },
    },
  };
  if (spec.startingDeadlineSeconds !== undefined) cronSpec.startingDeadlineSeconds = spec.startingDeadlineSeconds;
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: {
      name: beatCronJobName(schedule.metadata.name),
      namespace: schedule.metadata.namespace,
      labels,
      annotations: { [OperatorLabels.specHash]: specHash(cronSpec) },
      ownerReferences: [ownerReference(schedule)],
    },
    spec: cronSpec,
  };
}
