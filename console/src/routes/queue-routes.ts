import { defineRoute, type Route } from '../http/route.js';
import { HttpError } from '../http/http-error.js';
import type { ConsoleContext } from '../data/console-context.js';
import { formatQueueRef, type QueueRef } from '@taskyard/api/wire';
import { knownNamespaces } from '../data/known-namespaces.js';
import { queueRefOf } from '../data/queue-ref-of.js';
import { queueViews } from '../data/queue-views.js';
import { readWorkers } from '../data/worker-reader.js';
import { PageQuerySchema } from '../schemas/common-schemas.js';
import {
  DeadLetterListResponseSchema,
  DeadLetterSelectionSchema,
  PurgeResponseSchema,
  ReplayResponseSchema,
} from '../schemas/dead-letter-schemas.js';
import { QueueListResponseSchema, QueueParamsSchema, QueueViewSchema, ThroughputQuerySchema } from '../schemas/queue-schemas.js';
import { WorkerListResponseSchema } from '../schemas/worker-schemas.js';

/** Queues (counts, rates) of every namespace, workers and dead letters. A queue is `ns/q` (URL-encoded in paths). */
export function queueRoutes(ctx: ConsoleContext): Route[] {
  const knownQueue = async (text: string): Promise<QueueRef> => {
    const ref = queueRefOf(text, ctx.defaultNamespace, 'params.queue');
    if (!(await ctx.registry.exists(ref))) {
      throw new HttpError(404, 'queue_not_found', `no queue ${JSON.stringify(formatQueueRef(ref))} is declared or has held a task yet`, [
        { field: 'params.queue', message: 'unknown queue' },
      ]);
    }
    return ref;
  };
  const workers = async () => readWorkers(ctx.redis, ctx.prefix, await knownNamespaces(ctx));
  return [
    defineRoute({
      method: 'GET',
      path: '/api/queues',
      operationId: 'listQueues',
      summary: 'Every queue of every namespace with its counts, dead letters, throughput per minute and live workers',
      tag: 'queues',
      query: ThroughputQuerySchema,
      response: { status: 200, description: 'the queues', schema: QueueListResponseSchema },
      async handle({ query }) {
        const [refs, live] = await Promise.all([ctx.registry.refs(), workers()]);
        return { items: await queueViews(ctx, refs, live, query.minutes), at: Date.now() };
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/api/queues/{queue}',
      operationId: 'getQueue',
      summary: 'One queue with its counts and throughput',
      tag: 'queues',
      params: QueueParamsSchema,
      query: ThroughputQuerySchema,
      response: { status: 200, description: 'the queue', schema: QueueViewSchema },
      errors: [404],
      async handle({ params, query }) {
        const ref = await knownQueue(params.queue);
        const [view] = await queueViews(ctx, [ref], await workers(), query.minutes);
        if (!view) throw new Error(`queue view of ${params.queue} missing`);
        return view;
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/api/workers',
      operationId: 'listWorkers',
      summary: 'Workers of every namespace from the runtime registry: namespace, pod, pool, queues, concurrency, active tasks, heartbeat',
      tag: 'workers',
      response: { status: 200, description: 'the workers, live ones first', schema: WorkerListResponseSchema },
      async handle() {
        return { items: await workers() };
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/api/queues/{queue}/dead-letters',
      operationId: 'listDeadLetters',
      summary: 'Dead letters of a queue (tasks that failed their last attempt), newest first',
      tag: 'dead letters',
      params: QueueParamsSchema,
      query: PageQuerySchema,
      response: { status: 200, description: 'one page of dead letters', schema: DeadLetterListResponseSchema },
      errors: [404],
      async handle({ params, query }) {
        const ref = await knownQueue(params.queue);
        const start = (query.page - 1) * query.pageSize;
        const page = await ctx.tasks.deadLetters(ref, start, start + query.pageSize - 1);
        return { queue: formatQueueRef(ref), page: query.page, pageSize: query.pageSize, ...page };
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/api/queues/{queue}/dead-letters/replay',
      operationId: 'replayDeadLetters',
      summary: 'Put dead letters back on their queue (all, or the given ids)',
      tag: 'dead letters',
      params: QueueParamsSchema,
      body: DeadLetterSelectionSchema,
      response: { status: 202, description: 'the tasks are queued again', schema: ReplayResponseSchema },
      errors: [404],
      async handle({ params, body }) {
        const taskIds = await ctx.tasks.replay(await knownQueue(params.queue), body.ids);
        return { replayed: taskIds.length, taskIds };
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/api/queues/{queue}/dead-letters/purge',
      operationId: 'purgeDeadLetters',
      summary: 'Delete dead letters (all, or the given ids)',
      tag: 'dead letters',
      params: QueueParamsSchema,
      body: DeadLetterSelectionSchema,
      response: { status: 200, description: 'how many were deleted', schema: PurgeResponseSchema },
      errors: [404],
      async handle({ params, body }) {
        return { purged: await ctx.tasks.purge(await knownQueue(params.queue), body.ids) };
      },
    }),
  ];
}
