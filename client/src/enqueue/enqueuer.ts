import { randomUUID } from 'node:crypto';
import { FlowProducer, type FlowJob } from 'bullmq';
import { bullQueueName } from '@taskyard/api/wire';
import type { Canvas } from '../canvas.js';
import type { ClientContext } from '../client-context.js';
import type { EnqueueOptions } from '../enqueue-options.js';
import { GroupHandle, TaskHandle, type TaskHandleClient } from '../task-handle.js';
import { addClaimed } from './add-claimed.js';
import { prepareJob } from './prepare-job.js';
import type { PreparedJob } from './prepared-job.js';

/** The enqueue side of the client: single tasks, bulk, and canvas (chain, group, chord) as BullMQ flows. */
export class Enqueuer {
  private flowProducer: FlowProducer | undefined;

  constructor(
    private readonly ctx: ClientContext,
    private readonly handles: TaskHandleClient,
  ) {}

  async enqueue(name: string, args: readonly unknown[], options: EnqueueOptions): Promise<TaskHandle> {
    const job = await prepareJob(this.ctx, name, args, options);
    const [enqueued] = await this.ctx.guard('enqueue', () =>
      addClaimed(this.ctx, [job], ([j]) => this.ctx.producerQueue(job.ref.name).add(job.name, (j as PreparedJob).data, job.opts)));
    return this.handle(job, enqueued ?? false);
  }

  async enqueueBulk(items: ReadonlyArray<{ name: string; args?: readonly unknown[]; options?: EnqueueOptions }>): Promise<TaskHandle[]> {
    const jobs = await Promise.all(items.map((it) => prepareJob(this.ctx, it.name, it.args ?? [], it.options ?? {})));
    const flags = await this.ctx.guard('enqueueBulk', () =>
      addClaimed(this.ctx, jobs, async (claimed) => {
        const byQueue = new Map<string, PreparedJob[]>();
        for (const j of claimed) byQueue.set(j.ref.name, [...(byQueue.get(j.ref.name) ?? []), j]);
        await Promise.all([...byQueue].map(([q, js]) => this.ctx.producerQueue(q).addBulk(js.map((j) => ({ name: j.name, data: j.data, opts: j.opts })))));
      }));
    return jobs.map((j, i) => this.handle(j, flags[i] ?? false));
  }

  async apply(canvas: Canvas): Promise<TaskHandle | GroupHandle> {
    switch (canvas.kind) {
      case 'task':
        return this.enqueue(canvas.name, canvas.args, canvas.options);
      case 'group': {
        const handles = await this.enqueueBulk(canvas.tasks.map((t) => ({ name: t.name, args: t.args, options: t.options })));
        return new GroupHandle(randomUUID(), handles);
      }
      case 'chain': {
        const prepared = await Promise.all(canvas.tasks.map((t) => prepareJob(this.ctx, t.name, t.args, t.options)));
        prepared.forEach((p, i) => {
          if (i > 0) p.data.input = 'chain';
        });
        let tree: FlowJob | undefined;
        for (const p of prepared) tree = this.flowJob(p, tree ? [tree] : undefined);
        const last = prepared[prepared.length - 1] as PreparedJob;
        return this.handle(last, await this.addFlow(tree as FlowJob, prepared));
      }
      case 'chord': {
        const header = await Promise.all(canvas.header.map((t) => prepareJob(this.ctx, t.name, t.args, t.options)));
        const cb = await prepareJob(this.ctx, canvas.callback.name, canvas.callback.args, canvas.callback.options);
        cb.data.input = 'chord';
        cb.data.header = header.map((h) => h.id);
        const tree = this.flowJob(cb, header.map((h) => this.flowJob(h)));
        return this.handle(cb, await this.addFlow(tree, [...header, cb]));
      }
    }
  }

  async close(): Promise<void> {
    if (this.flowProducer) await this.flowProducer.close().catch(() => undefined);
  }

  private handle(job: PreparedJob, enqueued: boolean): TaskHandle {
    return new TaskHandle(this.handles, job.id, job.ref.name, job.name, enqueued);
  }

  private flowJob(p: PreparedJob, children?: FlowJob[]): FlowJob {
    const job = { name: p.name, queueName: bullQueueName(p.ref), data: p.data, opts: { ...p.opts, failParentOnFailure: true }, prefix: this.ctx.prefix };
    return (children ? { ...job, children } : job) as FlowJob;
  }

  /** A flow is added whole or not at all: when one of its task ids is taken, nothing is added (false). */
  private async addFlow(tree: FlowJob, jobs: PreparedJob[]): Promise<boolean> {
    if (!this.flowProducer) {
      this.flowProducer = new FlowProducer({ connection: this.ctx.connection, prefix: this.ctx.prefix });
      this.flowProducer.on('error', () => undefined);
    }
    const producer = this.flowProducer;
    const flags = await this.ctx.guard('enqueue flow', () => addClaimed(this.ctx, jobs, () => producer.add(tree), true));
    return flags.every(Boolean);
  }
}
