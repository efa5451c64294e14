// Shapes of the console API's answers as the dashboard reads them. The server's zod schemas
// (console/src/schemas) are the source; /openapi.json documents them.

export interface QueueCounts {
  waiting: number;
  prioritized: number;
  delayed: number;
  active: number;
  completed: number;
  failed: number;
  paused: number;
  'waiting-children': number;
  dead: number;
}

export interface QueueView {
  /** `namespace/name`: URL-encode it in paths. */
  name: string;
  namespace: string;
  paused: boolean;
  counts: QueueCounts;
  throughput: { lastMinute: number; perMinute: Array<{ minute: number; count: number }> };
  workers: number;
}

export interface WorkerView {
  id: string;
  pool?: string;
  pod?: string;
  namespace?: string;
  host?: string;
  queues: string[];
  tasks?: string[];
  concurrency?: number;
  active: string[];
  startedAt?: number;
  lastHeartbeat: number;
  alive: boolean;
  draining: boolean;
}

export interface Overview {
  at: number;
  queues: QueueView[];
  workers: WorkerView[];
}

export interface TaskSummary {
  id: string;
  queue: string;
  name: string;
  state: string;
  jobState: string;
  attemptsMade: number;
  enqueuedAt?: number;
  startedAt?: number;
  finishedAt?: number;
  argsPreview: string;
  error?: string;
}

export interface TaskList {
  queue: string;
  state: string;
  page: number;
  pageSize: number;
  total: number;
  items: TaskSummary[];
  search?: { text: string; scanned: number; complete: boolean };
}

export interface TaskDetail {
  id: string;
  queue: string;
  name: string;
  state: string;
  jobState: string;
  ready: boolean;
  args: unknown[];
  kwargs: Record<string, unknown>;
  result?: unknown;
  error?: { name: string; message: string; stack?: string };
  traceback?: string;
  attemptsMade: number;
  maxAttempts?: number;
  progress?: unknown;
  enqueuedAt?: number;
  startedAt?: number;
  finishedAt?: number;
  delayUntil?: number;
  priority?: number;
  revoked: boolean;
  timeline: Array<{ at: number; event: string; detail?: string }>;
  logs: string[];
}

export interface DeadLetterView {
  id: string;
  taskId: string;
  queue: string;
  name: string;
  args: unknown[];
  kwargs: Record<string, unknown>;
  error: { name: string; message: string; stack?: string };
  attemptsMade: number;
  failedAt: number;
  worker?: string;
}

export interface DeadLetterList {
  queue: string;
  page: number;
  pageSize: number;
  total: number;
  items: DeadLetterView[];
}

export interface ScheduleView {
  namespace: string;
  name: string;
  queue: string;
  task: string;
  cron?: string;
  timeZone?: string;
  every?: string;
  suspend: boolean;
  lastScheduleTime?: string;
  lastTaskId?: string;
  nextRun?: string;
  ready?: string;
}

export interface ScheduleList {
  source: 'kubernetes' | 'none';
  note?: string;
  items: ScheduleView[];
}
