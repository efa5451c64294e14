import { BundleError } from './bundle-error.js';
import type { TaskDefinition } from './define-task.js';

/**
 * Finds the tasks a bundle module exports. Accepted shapes (mix freely):
 * - named exports of tasks: `export const send = defineTask({...})`
 * - an array: `export default [a, b]` or `export const tasks = [a, b]`
 * - an object of tasks: `export default {a, b}` or `export default {tasks: [a, b]}`
 * A task is any object with a string `name` and a function `handler` (plus optional `options`).
 * Other exports (helpers, constants) are ignored. Duplicate names, broken task-like objects and a
 * bundle without tasks are errors naming the export.
 */
export function collectBundleTasks(file: string, namespace: Record<string, unknown>): Map<string, TaskDefinition> {
  const tasks = new Map<string, TaskDefinition>();
  const add = (where: string, value: unknown): void => {
    const task = asTask(file, where, value);
    if (!task) return;
    const existing = tasks.get(task.name);
    if (existing && existing !== task) {
      throw new BundleError(file, `two tasks are named "${task.name}" (second one at ${where}); task names must be unique`);
    }
    tasks.set(task.name, task);
  };
  const visit = (where: string, value: unknown, depth: number): void => {
    if (Array.isArray(value)) {
      value.forEach((item, i) => {
        if (!looksLikeTask(item)) {
          throw new BundleError(file, `${where}[${i}] is not a task: expected {name, handler(ctx, ...args)} (use defineTask)`);
        }
        add(`${where}[${i}]`, item);
      });
    } else if (looksLikeTask(value)) {
      add(where, value);
    } else if (depth === 0 && isPlainObject(value) && (where === 'export default' || where === 'export tasks')) {
      for (const [key, inner] of Object.entries(value)) visit(`${where}.${key}`, inner, depth + 1);
    }
  };
  for (const [key, value] of Object.entries(namespace)) {
    visit(key === 'default' ? 'export default' : `export ${key}`, value, 0);
  }
  if (tasks.size === 0) {
    throw new BundleError(
      file,
      'exports no tasks: export defineTask({name, handler}) results, e.g. `export default [defineTask({name: "add", handler: (ctx, a, b) => a + b})]`',
    );
  }
  return tasks;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function looksLikeTask(value: unknown): value is Record<string, unknown> {
  return isPlainObject(value) && 'handler' in value && 'name' in value;
}

function asTask(file: string, where: string, value: unknown): TaskDefinition | undefined {
  if (!looksLikeTask(value)) return undefined;
  if (typeof value.name !== 'string' || value.name.length === 0) {
    throw new BundleError(file, `${where}: "name" must be a non-empty string`);
  }
  if (typeof value.handler !== 'function') {
    throw new BundleError(file, `${where} (task "${value.name}"): "handler" must be a function (ctx, ...args) => result`);
  }
  if (value.options !== undefined && !isPlainObject(value.options)) {
    throw new BundleError(file, `${where} (task "${value.name}"): "options" must be an object`);
  }
  return value as unknown as TaskDefinition;
}
