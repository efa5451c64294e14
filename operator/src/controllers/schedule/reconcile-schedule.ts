import { formatValidationError, scheduleSchema, scheduleTaskId, type Schedule, type ScheduleStatus } from '@taskyard/api';
import type { QueueRef } from '@taskyard/api/wire';
import { specHash } from '../../render/spec-hash.js';
import { objectPath, Resources } from '../../kube/resource-paths.js';
import { FIELD_MANAGER, OperatorLabels } from '../../render/operator-labels.js';
import { beatCronJobName, renderBeatCronJob } from '../../render/render-beat-cron-job.js';
import { schedulePlan } from '../../render/schedule-plan.js';
import type { ConditionInput } from '../../status/set-condition.js';
import { writeStatus } from '../../status/write-status.js';
import type { ReconcileResult } from '../../work-queue/reconcile-result.js';
import type { ControllerContext } from '../controller-context.js';
import { JOB_SCHEDULER_FINALIZER, setFinalizer } from '../finalizers.js';
import { queueRedisPodSource, queueRedisUrl } from '../resolve-queue-redis.js';
import { jobSchedulerId, jobSchedulerTemplate } from './job-scheduler-template.js';
import { cronTiming, everyRequeueAfterMs } from './cron-timing.js';

/** The Schedule's queue: spec.queue in the Schedule's own namespace. */
const queueRef = (schedule: Schedule): QueueRef => ({ namespace: schedule.metadata.namespace ?? '', name: schedule.spec.queue });

const iso = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * Schedule → CronJob (cron, or an `every` cron can express) or → BullMQ job scheduler (other intervals, e.g.
 * under a minute), upserted by the operator alone and removed through a finalizer when the Schedule goes.
 * Switching between the two removes the other runner. Status: last and next schedule time, last task id.
 */
export class ScheduleReconciler {
  readonly #ctx: ControllerContext;
  /** Hash of the last upserted scheduler per Schedule uid: an unchanged scheduler is not upserted again. */
  readonly #upserted = new Map<string, string>();

  constructor(ctx: ControllerContext) {
    this.#ctx = ctx;
  }

  async reconcile(namespace: string, name: string): Promise<ReconcileResult> {
    const ctx = this.#ctx;
    const stored = ctx.informers.schedules.get(namespace, name);
    if (!stored) return {};
    const path = objectPath(Resources.schedule, namespace, name);
    const parsed = scheduleSchema.safeParse(stored);
    if (!parsed.success) {
      const message = formatValidationError(parsed.error, `Schedule ${namespace}/${name}`);
      await writeStatus(this.#ctx, Resources.schedule, stored, { ...stored.status }, [
        { type: 'Ready', status: 'False', reason: 'InvalidSpec', message },
        { type: 'Degraded', status: 'True', reason: 'InvalidSpec', message },
      ]);
      return {};
    }
    const schedule: Schedule = parsed.data;
    const meta = stored.metadata;
    const queue = ctx.informers.taskQueues.get(namespace, schedule.spec.queue);

    if (meta.deletionTimestamp) {
      if (meta.finalizers?.includes(JOB_SCHEDULER_FINALIZER)) {
        await this.#removeScheduler(schedule, queue?.spec?.redis);
        await setFinalizer(ctx.client, path, meta, JOB_SCHEDULER_FINALIZER, false);
      }
      return {};
    }

    const plan = schedulePlan(schedule.spec);
    const problems: { reason: string; message: string }[] = [];
    if (!queue) problems.push({ reason: 'QueueNotFound', message: `spec.queue: no TaskQueue ${schedule.spec.queue} in ${namespace}; ticks are sent but no WorkerPool may consume them` });
    const podSource = queueRedisPodSource(queue?.spec?.redis, ctx.config);
    const status: ScheduleStatus = {};
    let requeueAfterMs: number | undefined;

    if (plan.kind === 'cronJob') {
      if (meta.finalizers?.includes(JOB_SCHEDULER_FINALIZER)) {
        await this.#removeScheduler(schedule, queue?.spec?.redis);
        await setFinalizer(ctx.client, path, meta, JOB_SCHEDULER_FINALIZER, false);
        return {};
      }
      const desired = renderBeatCronJob({ schedule, cron: plan.cron, timeZone: plan.timeZone, runtimeImage: ctx.config.runtimeImage, prefix: ctx.config.prefix, redisUrl: podSource });
      const cronJobName = beatCronJobName(name);
      const existing = ctx.informers.cronJobs.get(namespace, cronJobName);
      if (existing?.metadata?.annotations?.[OperatorLabels.specHash] !== desired.metadata?.annotations?.[OperatorLabels.specHash]) {
        await ctx.client.apply(objectPath(Resources.cronJob, namespace, cronJobName), desired, FIELD_MANAGER);
        await ctx.events.record(stored, 'Normal', existing ? 'CronJobUpdated' : 'CronJobCreated', `${existing ? 'updated' : 'created'} CronJob ${cronJobName} (${plan.cron} ${plan.timeZone})`);
      }
      const last = existing?.status?.lastScheduleTime;
      if (last && schedule.metadata.uid) {
        status.lastScheduleTime = last;
        status.lastTaskId = scheduleTaskId(schedule.metadata.uid, new Date(last));
      }
      if (!schedule.spec.suspend) {
        const timing = cronTiming(plan.cron, plan.timeZone, ctx.clock.now());
        status.nextScheduleTime = timing.nextScheduleTime;
        requeueAfterMs = timing.requeueAfterMs;
      }
    } else {
      if (await setFinalizer(ctx.client, path, meta, JOB_SCHEDULER_FINALIZER, true)) return {};
      const cronJobName = beatCronJobName(name);
      if (ctx.informers.cronJobs.get(namespace, cronJobName)) {
        await ctx.client.delete(objectPath(Resources.cronJob, namespace, cronJobName));
        await ctx.events.record(stored, 'Normal', 'CronJobDeleted', `deleted CronJob ${cronJobName}: every ${schedule.spec.every} runs as a job scheduler`);
      }
      const url = await queueRedisUrl(ctx.client, namespace, queue?.spec?.redis, ctx.config);
      const bull = ctx.redis.queue(url, ctx.config.prefix, queueRef(schedule));
      const id = jobSchedulerId(schedule);
      if (schedule.spec.suspend) {
        if (await bull.removeJobScheduler(id)) await ctx.events.record(stored, 'Normal', 'Suspended', `removed job scheduler ${id} while suspended`);
        this.#upserted.delete(id);
      } else {
        const template = jobSchedulerTemplate(schedule, queue?.spec?.defaults);
        const hash = specHash({ every: plan.everyMs, template });
        const existing = await bull.getJobScheduler(id);
        if (!existing || this.#upserted.get(id) !== hash) {
          await bull.upsertJobScheduler(id, { every: plan.everyMs }, template);
          this.#upserted.set(id, hash);
          if (!existing) await ctx.events.record(stored, 'Normal', 'JobSchedulerCreated', `created job scheduler ${id} every ${plan.everyMs} ms on queue ${schedule.spec.queue}`);
        }
        const current = existing ?? (await bull.getJobScheduler(id));
        if (current?.next) {
          status.nextScheduleTime = iso(new Date(current.next));
          if ((current.iterationCount ?? 0) > 1) {
            const lastMs = current.next - plan.everyMs;
            status.lastScheduleTime = iso(new Date(lastMs));
            status.lastTaskId = `repeat:${id}:${lastMs}`;
          }
        }
        requeueAfterMs = everyRequeueAfterMs(plan.everyMs);
      }
    }

    const conditions: ConditionInput[] = [
      schedule.spec.suspend
        ? { type: 'Ready', status: 'True', reason: 'Suspended', message: 'suspended: no ticks are sent' }
        : {
            type: 'Ready',
            status: 'True',
            reason: plan.kind === 'cronJob' ? 'CronJobReady' : 'JobSchedulerReady',
            message:
              plan.kind === 'cronJob'
                ? `CronJob ${beatCronJobName(name)} sends ${schedule.spec.task} on ${plan.cron} (${plan.timeZone})`
                : `job scheduler sends ${schedule.spec.task} every ${plan.everyMs} ms${
                    // A job scheduler repeats one fixed template: an expiry relative to each tick cannot be put in it.
                    schedule.spec.options?.expires ? `; options.expires (${schedule.spec.options.expires}) is not applied to job-scheduler ticks: use cron or an every of whole minutes for it` : ''
                  }`,
          },
      { type: 'Progressing', status: 'False', reason: 'Applied', message: 'runner matches the spec' },
      problems.length > 0
        ? { type: 'Degraded', status: 'True', reason: problems[0]?.reason ?? 'Problem', message: problems.map((p) => p.message).join('; ') }
        : { type: 'Degraded', status: 'False', reason: 'Healthy', message: 'queue found' },
    ];
    await writeStatus(this.#ctx, Resources.schedule, stored, status, conditions);
    return requeueAfterMs !== undefined ? { requeueAfterMs } : {};
  }

  async #removeScheduler(schedule: Schedule, redisSpec: Parameters<typeof queueRedisUrl>[2]): Promise<void> {
    const ctx = this.#ctx;
    const url = await queueRedisUrl(ctx.client, schedule.metadata.namespace ?? '', redisSpec, ctx.config);
    const id = jobSchedulerId(schedule);
    await ctx.redis.queue(url, ctx.config.prefix, queueRef(schedule)).removeJobScheduler(id);
    this.#upserted.delete(id);
  }

}
