import type { Job } from 'bullmq';

import { formatQueueRef, taskyardKeys, type QueueRef, type RedisConnection } from '@taskyard/api/wire';
import type { JobList, TaskSummary } from '../schemas/task-schemas.js';
import { jobToSummary } from './job-to-summary.js';
import type { QueueRegistry } from './queue-registry.js';

/** Search looks at this many of the newest tasks of a list, at most. */
export const SEARCH_SCAN_LIMIT = 5_000;
const SEARCH_CHUNK = 500;

export interface TaskPage {
  total: number;
  items: TaskSummary[];
  search?: { text: string; scanned: number; complete: boolean };
}

export interface TaskPageRequest {
  ref: QueueRef;
  state: JobList;
  page: number;
  pageSize: number;
  search?: string | undefined;
}

/**
 * Pages through one BullMQ list of a queue, newest first, with BullMQ's range reads (a page costs
 * one range read plus one hash read per task, whatever the list's length). Search: an exact task id
 * wins; otherwise the newest SEARCH_SCAN_LIMIT tasks are matched on name, id and arguments.
 */
export class TaskLister {
  constructor(
    private readonly redis: RedisConnection,
    private readonly prefix: string,
    private readonly registry: QueueRegistry,
  ) {}

  async page(request: TaskPageRequest): Promise<TaskPage> {
    const queue = this.registry.queue(request.ref);
    const queueText = formatQueueRef(request.ref);
    const total = await queue.getJobCountByTypes(request.state);
    const start = (request.page - 1) * request.pageSize;
    const text = request.search?.trim();
    if (!text) {
      const jobs = await queue.getJobs([request.state], start, start + request.pageSize - 1, false);
      return { total, items: await this.summaries(jobs, request.ref, queueText, request.state) };
    }
    const byId = await queue.getJob(text);
    if (byId) {
      const state = await queue.getJobState(text);
      if (state === request.state) {
        return { total, items: await this.summaries([byId], request.ref, queueText, request.state), search: { text, scanned: 1, complete: true } };
      }
    }
    // Match on the raw hash fields (one pipelined HMGET per chunk) and build Job objects only for
    // the page that is shown: far cheaper than materialising every scanned job.
    const needle = text.toLowerCase();
    const matches: string[] = [];
    let scanned = 0;
    const limit = Math.min(total, SEARCH_SCAN_LIMIT);
    while (scanned < limit) {
      const ids = await queue.getRanges([request.state], scanned, Math.min(scanned + SEARCH_CHUNK, limit) - 1, false);
      if (ids.length === 0) break;
      scanned += ids.length;
      const pipeline = this.redis.pipeline();
      for (const id of ids) pipeline.hmget(queue.toKey(id), 'name', 'data');
      const rows = (await pipeline.exec()) ?? [];
      ids.forEach((id, i) => {
        const [err, fields] = rows[i] ?? [null, null];
        if (err || !Array.isArray(fields)) return;
        const hay = `${id} ${String(fields[0] ?? '')} ${String(fields[1] ?? '')}`.toLowerCase();
        if (hay.includes(needle)) matches.push(id);
      });
    }
    const pageIds = matches.slice(start, start + request.pageSize);
    const pageJobs = await Promise.all(pageIds.map((id) => queue.getJob(id)));
    return {
      total,
      items: await this.summaries(pageJobs, request.ref, queueText, request.state),
      search: { text, scanned, complete: scanned >= total },
    };
  }

  private async summaries(jobs: Array<Job | undefined>, ref: QueueRef, queue: string, state: JobList): Promise<TaskSummary[]> {
    const present = jobs.filter((j): j is Job => Boolean(j && j.id));
    if (present.length === 0) return [];
    const keys = taskyardKeys(this.prefix);
    const pipeline = this.redis.pipeline();
    // Markers of one queue share its `{ns/q}` slot: one pipeline works on a Cluster too.
    for (const job of present) pipeline.hget(keys.task(ref, String(job.id)), 'state');
    const markers = (await pipeline.exec()) ?? [];
    return present.map((job, i) => {
      const [err, value] = markers[i] ?? [null, null];
      return jobToSummary(job, queue, state, !err && typeof value === 'string' ? value : undefined);
    });
  }
}
