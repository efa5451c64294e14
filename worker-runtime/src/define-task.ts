import type { TaskOptions } from '@taskyard/api';
import type { TaskContext } from './task-context.js';

/** Per-task defaults from the bundle (override the queue policy; enqueue options override these). */
export type TaskDefinitionOptions = TaskOptions;

/** A task as a bundle exports it. Plain objects of this shape are accepted too (no import needed). */
export interface TaskDefinition<Args extends unknown[] = unknown[], Result = unknown> {
  /** The name clients enqueue it by, e.g. "emails.send". */
  readonly name: string;
  readonly handler: (ctx: TaskContext, ...args: Args) => Result | Promise<Result>;
  readonly options?: TaskDefinitionOptions;
}

/**
 * Declares a task (Celery's `@app.task(bind=True, name=...)`). An identity helper: it only checks
 * the shape and returns the definition, so bundles may also use the `defineTask` the runtime puts
 * on `globalThis`, or export plain `{name, handler}` objects, and need no @taskyard package.
 */
export function defineTask<Args extends unknown[], Result>(
  definition: TaskDefinition<Args, Result>,
): TaskDefinition<Args, Result> {
  if (typeof definition !== 'object' || definition === null) {
    throw new TypeError('defineTask: pass an object {name, handler(ctx, ...args), options?}');
  }
  if (typeof definition.name !== 'string' || definition.name.length === 0) {
    throw new TypeError('defineTask: "name" must be a non-empty string, e.g. defineTask({name: "emails.send", ...})');
  }
  if (typeof definition.handler !== 'function') {
    throw new TypeError(`defineTask(${definition.name}): "handler" must be a function (ctx, ...args) => result`);
  }
  return definition;
}
