export { defineTask, type TaskDefinition, type TaskDefinitionOptions } from './define-task.js';
export type { TaskContext, TaskLogger, RetryOptions } from './task-context.js';
export { BundleError } from './bundle-error.js';
export { collectBundleTasks } from './collect-bundle-tasks.js';
export { resolveBundleEntry } from './resolve-bundle-entry.js';
export { fetchBundle } from './fetch-bundle.js';
