// The Redis contract of every Taskyard process, one module per concern (see wire/README.md).
export * from './keys.js';
export * from './redis-url.js';
export * from './connect-redis.js';
export * from './queue-policy.js';
export * from './worker-registry.js';
export * from './revoke.js';
export * from './dead-letters.js';
export * from './retention.js';
export * from './task-marker.js';
export * from './namespace-queues.js';
export * from './add-task.js';
export * from './throughput.js';
