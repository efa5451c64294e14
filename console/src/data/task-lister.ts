import type { Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { taskyardKeys } from '@taskyard/api';
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
  queue: string;
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
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly registry: QueueRegistry,
  ) {}

  async page(request: TaskPageRequest): Promise<TaskPage> {
    const queue = this.registry.queue(request.queue);
    const total = await queue.getJobCountByTypes(request.state);
    const start = (request.page - 1) * request.pageSize;
    const text = request.search?.trim();
    if (!text) {
      const jobs = await queue.getJobs([request.state], start, start + request.pageSize - 1, false);
      return { total, items: await this.summaries(jobs, request.queue, request.state) };
    }
    const byId = await queue.getJob(text);
    if (byId) {
      const state = await queue.getJobState(text);
      if (state === request.state) {
        return { total, items: await this.summaries([byId], request.queue, request.state), search: { text, scanned: 1, complete: true } };
      }
    }
    const needle = text.toLowerCase();
    const matches: Job[] = [];
    let scanned = 0;
    while (scanned < Math.min(total, SEARCH_SCAN_LIMIT)) {
      const chunk = await queue.getJobs([request.state], scanned, scanned + SEARCH_CHUNK - 1, false);
      if (chunk.length === 0) break;
      scanned += chunk.length;
      for (const job of chunk) {
        if (!job) continue;
        const hay = `${job.id} ${job.name} ${JSON.stringify(job.data ?? {})}`.toLowerCase();
        if (hay.includes(needle)) matches.push(job);
      }
    }
    const pageJobs = matches.slice(start, start + request.pageSize);
    return {
      total,
      items: await this.summaries(pageJobs, request.queue, request.state),
      search: { text, scanned, complete: scanned >= total },
    };
  }

  private async summaries(jobs: Array<Job | undefined>, queue: string, state: JobList): Promise<TaskSummary[]> {
    const present = jobs.filter((j): j is Job => Boolean(j && j.id));
    if (present.length === 0) return [];
    const keys = taskyardKeys(this.prefix);
    const pipeline = this.redis.pipeline();
    for (const job of present) pipeline.hget(keys.task(String(job.id)), 'state');
    const markers = (await pipeline.exec()) ?? [];
    return present.map((job, i) => {
      const [err, value] = markers[i] ?? [null, null];
      return jobToSummary(job, queue, state, !err && typeof value === 'string' ? value : undefined);
    });
  }
}
