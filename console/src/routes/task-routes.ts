import { defineRoute, type Route } from '../http/route.js';
import { HttpError } from '../http/http-error.js';
import { formatQueueRef } from '@taskyard/api/wire';
import type { ConsoleContext } from '../data/console-context.js';
import { queueRefOf } from '../data/queue-ref-of.js';
import {
  EnqueueBodySchema,
  EnqueueResponseSchema,
  RetryResponseSchema,
  RevokeBodySchema,
  RevokeResponseSchema,
  TaskDetailSchema,
  TaskListQuerySchema,
  TaskListResponseSchema,
  TaskNamespaceQuerySchema,
  TaskParamsSchema,
} from '../schemas/task-schemas.js';

function unknownTask(id: string, namespace: string): HttpError {
  return new HttpError(404, 'task_not_found', `no task with id ${JSON.stringify(id)} in namespace ${namespace} (never enqueued, or its result expired; pass ?namespace= for another namespace)`, [
    { field: 'params.id', message: 'unknown task id' },
  ]);
}

/** Enqueue, list, inspect, revoke and retry tasks. A task is found by its id within a namespace (`?namespace=`). */
export function taskRoutes(ctx: ConsoleContext): Route[] {
  const ns = (query: { namespace?: string | undefined }): string => query.namespace ?? ctx.defaultNamespace;
  return [
    defineRoute({
      method: 'POST',
      path: '/api/tasks',
      operationId: 'enqueueTask',
      summary: 'Enqueue a task (apply_async)',
      tag: 'tasks',
      body: EnqueueBodySchema,
      response: { status: 201, description: 'the task was enqueued', schema: EnqueueResponseSchema },
      errors: [413, 415],
      async handle({ body }) {
        const ref = queueRefOf(body.queue ?? ctx.defaultQueue, ctx.defaultNamespace, 'body.queue');
        const queued = await ctx.tasks.enqueue(ref, body);
        ctx.registry.remember(ref);
        return { ...queued, queue: formatQueueRef(ref) };
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/api/tasks',
      operationId: 'listTasks',
      summary: 'Tasks of one queue in one BullMQ list, newest first, paginated; optional search',
      tag: 'tasks',
      query: TaskListQuerySchema,
      response: { status: 200, description: 'one page of tasks', schema: TaskListResponseSchema },
      async handle({ query }) {
        const ref = queueRefOf(query.queue, ctx.defaultNamespace, 'query.queue');
        const page = await ctx.lister.page({ ...query, ref });
        return { queue: formatQueueRef(ref), state: query.state, page: query.page, pageSize: query.pageSize, ...page };
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/api/tasks/{id}',
      operationId: 'getTask',
      summary: 'Status, result, error, traceback, attempts, progress and timeline of a task',
      tag: 'tasks',
      params: TaskParamsSchema,
      query: TaskNamespaceQuerySchema,
      response: { status: 200, description: 'the task', schema: TaskDetailSchema },
      errors: [404],
      async handle({ params, query }) {
        const detail = await ctx.tasks.detail(ns(query), params.id);
        if (!detail) throw unknownTask(params.id, ns(query));
        return detail;
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/api/tasks/{id}/revoke',
      operationId: 'revokeTask',
      summary: 'Revoke a task (persistent); with terminate, abort it where it runs',
      tag: 'tasks',
      params: TaskParamsSchema,
      query: TaskNamespaceQuerySchema,
      body: RevokeBodySchema,
      response: { status: 202, description: 'revoked; a running task aborts shortly', schema: RevokeResponseSchema },
      errors: [404, 409],
      async handle({ params, query, body }) {
        const task = await ctx.tasks.detail(ns(query), params.id);
        if (!task) throw unknownTask(params.id, ns(query));
        // A finished task keeps its outcome (Celery ignores revokes of finished tasks too); saying so
        // beats a silent 202 that changes nothing (or turns a FAILURE into REVOKED).
        if (task.state === 'SUCCESS' || task.state === 'FAILURE') {
          throw new HttpError(409, 'already_finished', `task ${params.id} already finished (${task.state}); there is nothing to revoke${task.state === 'FAILURE' ? ' — retry it or replay its dead letter instead' : ''}`, [
            { field: 'params.id', message: `task is ${task.state}` },
          ]);
        }
        const state = await ctx.tasks.revoke(ns(query), params.id, body.terminate);
        return { id: params.id, revoked: true as const, terminate: body.terminate, state };
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/api/tasks/{id}/retry',
      operationId: 'retryTask',
      summary: 'Run a failed (or revoked) task again under the same id',
      tag: 'tasks',
      params: TaskParamsSchema,
      query: TaskNamespaceQuerySchema,
      response: { status: 202, description: 'the task is queued again', schema: RetryResponseSchema },
      errors: [404, 409],
      async handle({ params, query }) {
        if (!(await ctx.tasks.detail(ns(query), params.id))) throw unknownTask(params.id, ns(query));
        return ctx.tasks.retry(ns(query), params.id);
      },
    }),
  ];
}
