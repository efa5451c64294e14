// The Redis contract of every Taskyard process, one module per concern (see wire/README.md).
export * from './keys.js';
export * from './redis-url.js';
export * from './connect-redis.js';
export * from './task-marker.js';
export * from './namespace-queues.js';
