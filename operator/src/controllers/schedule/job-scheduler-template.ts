import { ATTEMPTS_CEILING, TASK_MESSAGE_VERSION, TASKYARD_BACKOFF_TYPE, parseDuration, type Schedule, type TaskMessage } from '@taskyard/api';

/** The BullMQ job template of a Schedule run by a job scheduler: the task message and job options. Pure. */
export function jobSchedulerTemplate(schedule: Schedule, queueDefaults: { resultTTL?: string; failedTTL?: string } | undefined) {
  const { spec } = schedule;
  const data: TaskMessage = {
    v: TASK_MESSAGE_VERSION,
    name: spec.task,
    args: spec.args as TaskMessage['args'],
    kwargs: spec.kwargs as TaskMessage['kwargs'],
    enqueuedAt: 0,
    scheduleId: schedule.metadata.uid ?? schedule.metadata.name,
    ...(spec.options?.attempts !== undefined ? { options: { attempts: spec.options.attempts } } : {}),
  };
  const opts: {
    attempts: number;
    backoff: { type: string };
    priority?: number;
    removeOnComplete?: { age: number };
    removeOnFail?: { age: number };
  } = {
    attempts: spec.options?.attempts ?? ATTEMPTS_CEILING,
    backoff: { type: TASKYARD_BACKOFF_TYPE },
  };
  if (spec.options?.priority !== undefined) opts.priority = spec.options.priority;
  if (queueDefaults?.resultTTL) opts.removeOnComplete = { age: Math.ceil(parseDuration(queueDefaults.resultTTL) / 1000) };
  if (queueDefaults?.failedTTL) opts.removeOnFail = { age: Math.ceil(parseDuration(queueDefaults.failedTTL) / 1000) };
  return { name: spec.task, data, opts };
}

/** The job scheduler id of a Schedule: stable for the object's life, distinct across re-creations. */
export function jobSchedulerId(schedule: { metadata: { uid?: string | undefined; name: string } }): string {
  return `taskyard-schedule-${schedule.metadata.uid ?? schedule.metadata.name}`;
}
