import type { TaskError } from '@taskyard/api';
import type { RunItem, SandboxInit } from './sandbox-protocol.js';
import { Sandbox, type RunOutcome, type SandboxRun, type SandboxTaskInfo } from './sandbox.js';

/** What `submit` needs besides the task itself. */
export interface SubmitOptions {
  /** Lower runs first (the worker's queue index). */
  priority: number;
  /** May share a sandbox with other short tasks (no time limits, known to be short). */
  batchable: boolean;
  onProgress: (value: unknown) => void;
  /** Called when the task is handed to a sandbox (for unbatched tasks: when it starts). */
  onDispatch?: () => void;
}

/** A submitted task: its outcome, and the controls the worker needs for limits and revokes. */
export class PoolTicket {
  sandbox: Sandbox | undefined;
  readonly outcome: Promise<RunOutcome>;
  settle!: (outcome: RunOutcome) => void;

  constructor(
    readonly item: RunItem,
    readonly options: SubmitOptions,
  ) {
    this.outcome = new Promise((resolve) => (this.settle = resolve));
  }
}

/** Largest number of short tasks handed to one sandbox in one message. */
const MAX_BATCH = 16;

/**
 * A fixed number of sandboxes (one per concurrency slot), reused for every task: tasks are handed
 * over by message, no thread is spawned per task. A task goes only to an idle sandbox. Tasks
 * submitted in the same event-loop turn are dispatched together after it; short ones (no time
 * limits, known to run under a few ms) then travel as one batch to one sandbox - one message and
 * one thread wake-up for several tasks, run one after another - which keeps no-op tasks near plain
 * BullMQ speed. Lower `priority` numbers (earlier queues of the worker) go first.
 */
export class SandboxPool {
  private readonly sandboxes: Sandbox[] = [];
  private readonly waiting: PoolTicket[] = [];
  private nextRunId = 1;

  constructor(
    readonly size: number,
    private readonly init: SandboxInit,
  ) {}

  /** Starts every sandbox; resolves with the bundle's tasks, rejects with a BundleError. */
  async start(): Promise<SandboxTaskInfo[]> {
    for (let i = 0; i < this.size; i++) this.sandboxes.push(this.spawn());
    const lists = await Promise.all(this.sandboxes.map((s) => s.ready)).catch(async (err: unknown) => {
      await this.close();
      throw err;
    });
    return lists[0] ?? [];
  }

  /** Queues a task for the next idle sandbox; `ticket.outcome` settles when it ran (or was killed). */
  submit(item: Omit<RunItem, 'runId'>, options: SubmitOptions): PoolTicket {
    const ticket = new PoolTicket({ ...item, runId: this.nextRunId++ }, options);
    const i = this.waiting.findIndex((t) => t.options.priority > options.priority);
    if (i < 0) this.waiting.push(ticket);
    else this.waiting.splice(i, 0, ticket);
    this.schedulePump();
    return ticket;
  }

  /** Aborts a ticket: drops it if it still waits here, else aborts it in its sandbox. */
  abort(ticket: PoolTicket, reason: TaskError): void {
    const i = this.waiting.indexOf(ticket);
    if (i >= 0) {
      this.waiting.splice(i, 1);
      ticket.settle({ ok: false, error: reason, ms: 0 });
    } else {
      ticket.sandbox?.abort(ticket.item.runId, reason);
    }
  }

  /** Kills the sandbox running this ticket (only if it is running it now). */
  async kill(ticket: PoolTicket, reason: TaskError): Promise<void> {
    const i = this.waiting.indexOf(ticket);
    if (i >= 0) {
      this.waiting.splice(i, 1);
      ticket.settle({ ok: false, error: reason, ms: 0 });
      return;
    }
    const sandbox = ticket.sandbox;
    if (sandbox && !sandbox.dead && sandbox.isRunning(ticket.item.runId)) await sandbox.kill(reason);
  }

  /** Draining: tasks not handed to a sandbox yet settle with `handBack` (they go back to their queue). */
  private draining = false;

  handBackWaiting(): void {
    this.draining = true;
    for (const t of this.waiting.splice(0)) t.settle({ ok: false, handBack: true });
  }

  /** Tasks running or handed to sandboxes now. */
  busyCount(): number {
    return this.sandboxes.reduce((n, s) => n + s.load, 0);
  }

  async close(): Promise<void> {
    const reason = { name: 'WorkerShutdown', message: 'worker is shutting down' };
    for (const t of this.waiting.splice(0)) t.settle({ ok: false, error: reason, ms: 0 });
    await Promise.all(this.sandboxes.map((s) => s.kill(reason).catch(() => undefined)));
    this.sandboxes.length = 0;
  }

  private pumpScheduled = false;

  /**
   * Dispatches after the current event-loop turn: the tasks BullMQ hands over in one turn (replies
   * read together from Redis) then travel together.
   */
  private schedulePump(): void {
    if (this.pumpScheduled) return;
    this.pumpScheduled = true;
    setImmediate(() => {
      this.pumpScheduled = false;
      this.pump();
    });
  }

  private spawn(): Sandbox {
    const s = new Sandbox(this.init);
    void s.ready.then(
      () => this.schedulePump(),
      () => undefined,
    );
    return s;
  }

  /** Hands waiting tickets to idle sandboxes (replacing dead ones first). */
  private pump(): void {
    for (let i = 0; i < this.sandboxes.length; i++) {
      if ((this.sandboxes[i] as Sandbox).dead) this.sandboxes[i] = this.spawn();
    }
    if (this.waiting.length === 0) return;
    const idle = this.sandboxes.filter((s) => s.isReady && !s.dead && s.load === 0);
    for (let k = 0; k < idle.length && this.waiting.length > 0; k++) {
      const sandbox = idle[k] as Sandbox;
      const first = this.waiting.shift() as PoolTicket;
      const batch = [first];
      if (first.options.batchable) {
        // short tasks go together to one sandbox: one message and one thread wake-up for all
        const share = MAX_BATCH;
        for (let j = 0; j < this.waiting.length && batch.length < share; ) {
          const t = this.waiting[j] as PoolTicket;
          if (t.options.batchable && t.options.priority === first.options.priority) {
            this.waiting.splice(j, 1);
            batch.push(t);
          } else j++;
        }
      }
      sandbox.dispatch(batch.map((t) => this.bind(t, sandbox)));
      for (const t of batch) t.options.onDispatch?.();
    }
  }

  private bind(ticket: PoolTicket, sandbox: Sandbox): SandboxRun {
    ticket.sandbox = sandbox;
    return {
      item: ticket.item,
      onProgress: ticket.options.onProgress,
      settle: (outcome) => {
        if ('requeue' in outcome) {
          ticket.sandbox = undefined;
          if (this.draining) ticket.settle({ ok: false, handBack: true });
          else this.waiting.unshift(ticket);
        } else {
          ticket.settle(outcome);
        }
        // a sandbox became idle (or died): hand it more work
        this.schedulePump();
      },
    };
  }
}
