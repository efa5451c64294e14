import { Worker } from 'node:worker_threads';
import { TaskErrorNames, type TaskError } from '@taskyard/api';
import { BundleError } from './bundle-error.js';
import type { FromSandbox, RunItem, SandboxInit, ToSandbox } from './sandbox-protocol.js';

/** What a bundle's task looks like from the main thread. */
export interface SandboxTaskInfo {
  name: string;
  options?: unknown;
}

/**
 * How one run ended. `requeue`: the sandbox died before the task started (it was waiting behind
 * another task of a batch); the pool runs it elsewhere. `handBack`: the worker is draining and the
 * task never started; it goes back to its queue.
 */
export type RunOutcome =
  | { ok: true; value: unknown; ms: number }
  | { ok: false; error: TaskError; retry?: { delay?: number }; ms: number }
  | { ok: false; requeue: true }
  | { ok: false; handBack: true };

/** A run handed to a sandbox. */
export interface SandboxRun {
  item: RunItem;
  settle: (outcome: RunOutcome) => void;
  onProgress: (value: unknown) => void;
}

const THREAD_FILE = new URL('./sandbox-thread.js', import.meta.url);

/**
 * One worker thread running the bundle. It runs the tasks it is given one at a time, in order
 * (usually one; a batch of short tasks when tasks queue up). `kill()` terminates the thread (hard
 * time limit, revoke with terminate): the task running ends with the given error, tasks not
 * started yet come back as `requeue`, and the pool puts a fresh sandbox in its place.
 */
export class Sandbox {
  readonly ready: Promise<SandboxTaskInfo[]>;
  private readonly thread: Worker;
  /** Runs sent and not settled, in the order the thread runs them: the first one is running. */
  private readonly runs: SandboxRun[] = [];
  private deathReason: TaskError | undefined;
  isReady = false;
  dead = false;

  constructor(init: SandboxInit) {
    this.thread = new Worker(THREAD_FILE, { workerData: init, stdout: false, stderr: false });
    this.ready = new Promise<SandboxTaskInfo[]>((resolve, reject) => {
      this.thread.on('message', (msg: FromSandbox) => {
        switch (msg.type) {
          case 'done':
            for (const r of msg.results) {
              const i = this.runs.findIndex((run) => run.item.runId === r.runId);
              const run = this.runs[i];
              if (!run) continue;
              this.runs.splice(i, 1);
              run.settle(r.ok ? { ok: true, value: r.value, ms: r.ms } : r.retry ? { ok: false, error: r.error, retry: r.retry, ms: r.ms } : { ok: false, error: r.error, ms: r.ms });
            }
            break;
          case 'progress':
            this.runs.find((r) => r.item.runId === msg.runId)?.onProgress(msg.value);
            break;
          case 'ready':
            this.isReady = true;
            resolve(msg.tasks);
            break;
          case 'load-error':
            reject(new BundleError(init.entry, msg.message.replace(/^task bundle [^:]+: /, '')));
            break;
        }
      });
      this.thread.on('error', (err) => {
        this.deathReason ??= { name: TaskErrorNames.workerLost, message: `sandbox crashed: ${err.message}`, stack: err.stack ?? '' };
        reject(new BundleError(init.entry, `sandbox crashed while loading: ${err.message}`));
      });
      this.thread.on('exit', (code) => {
        reject(new BundleError(init.entry, `sandbox exited with code ${code} while loading`));
        this.settleAll(this.deathReason ?? { name: TaskErrorNames.workerLost, message: `sandbox exited with code ${code} while running the task` });
      });
    });
    this.ready.catch(() => undefined);
  }

  /** Tasks sent to this sandbox and not finished. */
  get load(): number {
    return this.runs.length;
  }

  /** Sends tasks (one, or a batch run in order). The sandbox must be ready and alive. */
  dispatch(runs: SandboxRun[]): void {
    this.runs.push(...runs);
    this.thread.postMessage({ type: 'run', items: runs.map((r) => r.item) } satisfies ToSandbox);
  }

  /** True when `runId` is the task this sandbox is running now. */
  isRunning(runId: number): boolean {
    return this.runs[0]?.item.runId === runId;
  }

  /** Aborts a task's ctx.signal with `reason` (it may still finish), or drops it if not started. */
  abort(runId: number, reason: TaskError): void {
    if (this.runs.some((r) => r.item.runId === runId)) this.thread.postMessage({ type: 'abort', runId, reason } satisfies ToSandbox);
  }

  /** Terminates the thread: the running task ends with `reason`, the others are requeued. */
  async kill(reason: TaskError): Promise<void> {
    this.deathReason = reason;
    this.settleAll(reason);
    await this.thread.terminate();
  }

  private settleAll(reason: TaskError): void {
    this.dead = true;
    const runs = this.runs.splice(0);
    runs.forEach((run, i) => run.settle(i === 0 ? { ok: false, error: reason, ms: 0 } : { ok: false, requeue: true }));
  }
}
