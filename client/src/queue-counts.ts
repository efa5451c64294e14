/** Job counts of one queue (BullMQ states) plus its dead-letter queue. */
export interface QueueCounts {
  queue: string;
  waiting: number;
  prioritized: number;
  active: number;
  delayed: number;
  failed: number;
  completed: number;
  waitingChildren: number;
  paused: number;
  /** Entries in `<queue>.dead`. */
  dead: number;
}
