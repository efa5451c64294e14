import { findTaskQueue, type QueueRef } from '@taskyard/api/wire';
import type { ClientContext } from './client-context.js';

/**
 * The queue of a task: the one the caller names, else the first queue of the client's namespace
 * that knows the id (the default queue, the route table's queues, then the namespace's queue set;
 * wire/task-marker.ts findTaskQueue). Undefined when none does. Reads only.
 */
export async function locateTask(ctx: ClientContext, id: string, queue: string | undefined): Promise<QueueRef | undefined> {
  if (queue !== undefined) return ctx.ref(queue);
  return findTaskQueue(ctx.connection, ctx.keys, ctx.namespace, id, [ctx.defaultQueue, ...ctx.routes.queues()]);
}
