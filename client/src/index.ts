export { TaskyardClient, REVOKE_RETENTION_MS } from './taskyard-client.js';
export type { RevokeOutcome } from './revoke-task.js';
export { DEFAULT_PRIORITY, HIGHEST_PRIORITY, LOWEST_PRIORITY } from './task-priority.js';
export { clientNamespace } from './client-namespace.js';
export type { ClientOptions } from './client-options.js';
export type { EnqueueOptions } from './enqueue-options.js';
export { TaskHandle, GroupHandle, type ResultOptions } from './task-handle.js';
export type { TaskStatus } from './task-status.js';
export type { QueueCounts } from './queue-counts.js';
export type { DeadLetterEntry } from '@taskyard/api/wire';
export { task, chain, group, chord, type Signature, type ChainSignature, type GroupSignature, type ChordSignature, type Canvas } from './canvas.js';
export { RouteTable } from './route-table.js';
export { checkJsonArgs } from './check-json-args.js';
// Moved to @taskyard/api/wire (queue-policy.ts); re-exported for existing imports.
export { readQueuePolicy, type QueuePolicyView } from '@taskyard/api/wire';
export {
  NonJsonArgumentError,
  PayloadTooLargeError,
  InvalidEnqueueOptionsError,
  TaskFailedError,
  TaskRevokedError,
  ResultTimeoutError,
  RedisUnavailableError,
  TaskNotFoundError,
  TaskAlreadyFinishedError,
} from './errors.js';
