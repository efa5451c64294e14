import type { Queue, Worker } from 'bullmq';
import { loadQueuePolicy, parsePolicyChangedMessage, readQueuePolicy, type QueuePolicyView } from '@taskyard/api/wire';
import type { WorkerContext } from './worker-context.js';

export interface PolicyFollowerContext extends Pick<WorkerContext, 'conn' | 'keys' | 'namespace' | 'logger' | 'ref' | 'isDraining'> {
  bullWorker(queue: string): Worker | undefined;
  bullQueue(queue: string): Queue | undefined;
}

const DEFAULTS = readQueuePolicy(undefined);

/**
 * Follows the queue policies the operator publishes (wire/queue-policy.ts): re-reads a queue's
 * policy when `policy-changed` names it (and at each resync) and applies pause, queue-wide
 * concurrency and rate limit to BullMQ (the latter two only for a declared queue).
 */
export class PolicyFollower {
  private readonly policies = new Map<string, QueuePolicyView>();
  private readonly applied = new Map<string, string>();
  private readonly declared = new Set<string>();

  constructor(private readonly ctx: PolicyFollowerContext, private readonly queues: readonly string[]) {}

  get channel(): string {
    return this.ctx.keys.policyChanged(this.ctx.namespace);
  }

  policy(queue: string): QueuePolicyView {
    return this.policies.get(queue) ?? DEFAULTS;
  }

  async refresh(queue: string): Promise<void> {
    const loaded = await loadQueuePolicy(this.ctx.conn, this.ctx.keys, this.ctx.ref(queue));
    if (loaded.problem) this.ctx.logger.warn(loaded.problem, { queue });
    this.policies.set(queue, loaded.policy);
    if (loaded.declared) this.declared.add(queue);
    else {
      this.declared.delete(queue);
      this.applied.delete(queue);
    }
  }

  async refreshAll(): Promise<void> {
    for (const q of this.queues) await this.refresh(q).then(() => this.apply(q));
  }

  onMessage(raw: string): void {
    const queue = parsePolicyChangedMessage(raw);
    if (queue === undefined || !this.queues.includes(queue)) return;
    void this.refresh(queue)
      .then(() => this.apply(queue))
      .catch((err: Error) => this.ctx.logger.warn('policy refresh failed', { queue, error: err.message }));
  }

  /** Applies paused, queue-wide concurrency and rate limit of a queue's policy. */
  async apply(queue: string): Promise<void> {
    const policy = this.policies.get(queue);
    const worker = this.ctx.bullWorker(queue);
    const bull = this.ctx.bullQueue(queue);
    if (!policy || !worker || !bull || this.ctx.isDraining()) return;
    if (policy.paused && !worker.isPaused()) {
      this.ctx.logger.info('queue paused by policy', { queue });
      void worker.pause(true);
    } else if (!policy.paused && worker.isPaused()) {
      this.ctx.logger.info('queue resumed by policy', { queue });
      worker.resume();
    }
    if (!this.declared.has(queue)) return;
    const wanted = JSON.stringify({ c: policy.concurrency ?? null, r: policy.rateLimit ?? null });
    if (this.applied.get(queue) === wanted) return;
    if (policy.concurrency !== undefined) await bull.setGlobalConcurrency(policy.concurrency);
    else await bull.removeGlobalConcurrency();
    if (policy.rateLimit) await bull.setGlobalRateLimit(policy.rateLimit.max, policy.rateLimit.duration);
    else await bull.removeGlobalRateLimit();
    this.applied.set(queue, wanted);
  }
}
