import { queuePolicySchema, type QueuePolicy } from './queue-policy.js';
import type { TaskQueueSpecInput } from './task-queue.js';

/**
 * The policy the operator publishes for a TaskQueue: its spec without `redis` and `deletionPolicy`,
 * every default filled in. Throws a ZodError naming the field when the spec is invalid.
 */
export function resolveQueuePolicy(spec: TaskQueueSpecInput): QueuePolicy {
  const { redis: _redis, deletionPolicy: _deletionPolicy, ...policy } = spec;
  return queuePolicySchema.parse(policy);
}
