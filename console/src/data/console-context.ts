import type { Redis } from 'ioredis';
import type { Logger } from '../log.js';
import type { ScheduleReader } from '../kube/schedule-reader.js';
import type { QueueRegistry } from './queue-registry.js';
import type { TaskLister } from './task-lister.js';
import type { TaskService } from './task-service.js';

/** Everything the route handlers and the live-update hub read from. */
export interface ConsoleContext {
  redis: Redis;
  prefix: string;
  /** Queue used by enqueue requests that name none. */
  defaultQueue: string;
  registry: QueueRegistry;
  lister: TaskLister;
  tasks: TaskService;
  schedules: ScheduleReader;
  log: Logger;
}
