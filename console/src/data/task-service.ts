import type { TaskState } from '@taskyard/api';
import type { QueueRef } from '@taskyard/api/wire';
import type { DeadLetterView } from '../schemas/dead-letter-schemas.js';
import type { QueueCounts } from '../schemas/queue-schemas.js';
import type { EnqueueBody, TaskDetail } from '../schemas/task-schemas.js';

/**
 * What the console does to tasks. The implementation (sdk-task-service.ts) delegates to the client
 * SDK wherever the SDK has the operation, so the console never re-implements task semantics.
 * Methods throw HttpError for user-facing problems (404 unknown task, 409 wrong state).
 */
export interface TaskService {
  /** Enqueues on `queue` (body.queue already resolved to it). */
  enqueue(queue: QueueRef, body: EnqueueBody): Promise<{ id: string; state: TaskState }>;
  /** Undefined when no such task is known in the namespace. Its `queue` is `ns/q`. */
  detail(namespace: string, id: string): Promise<TaskDetail | undefined>;
  revoke(namespace: string, id: string, terminate: boolean): Promise<TaskState>;
  retry(namespace: string, id: string): Promise<{ id: string; queue: string; state: TaskState }>;
  counts(queue: QueueRef): Promise<QueueCounts>;
  deadLetters(queue: QueueRef, start: number, end: number): Promise<{ total: number; items: DeadLetterView[] }>;
  /** Replays the given entries (all when `ids` is undefined); returns the task ids put back. */
  replay(queue: QueueRef, ids: string[] | undefined): Promise<string[]>;
  purge(queue: QueueRef, ids: string[] | undefined): Promise<number>;
  close(): Promise<void>;
}
