import type { Logger } from '@taskyard/api';
import type { RedisConnection, TaskyardKeys } from '@taskyard/api/wire';
import type { ScheduleReader } from '../kube/schedule-reader.js';
import type { QueueRegistry } from './queue-registry.js';
import type { TaskLister } from './task-lister.js';
import type { TaskService } from './task-service.js';

/** Everything the route handlers and the live-update hub read from. */
export interface ConsoleContext {
  redis: RedisConnection;
  prefix: string;
  keys: TaskyardKeys;
  /** Namespace of a queue or task written without one (`q` means `<defaultNamespace>/q`). */
  defaultNamespace: string;
  /** Queue used by enqueue requests that name none (`ns/q` or `q`). */
  defaultQueue: string;
  registry: QueueRegistry;
  lister: TaskLister;
  tasks: TaskService;
  schedules: ScheduleReader;
  log: Logger;
}
