import { Worker } from 'node:worker_threads';
import { TaskErrorNames, type TaskError } from '@taskyard/api';
import { BundleError } from './bundle-error.js';
import type { FromSandbox, SandboxInit, ToSandbox } from './sandbox-protocol.js';

/** What a bundle's task looks like from the main thread. */
export interface SandboxTaskInfo {
  name: string;
  options?: unknown;
}

/** How one run in a sandbox ended. */
export type RunOutcome =
  | { ok: true; value: unknown }
  | { ok: false; error: TaskError; retry?: { delay?: number } };

export type RunRequest = Omit<Extract<ToSandbox, { type: 'run' }>, 'type' | 'runId'>;

const THREAD_FILE = new URL('./sandbox-thread.js', import.meta.url);

/**
 * One worker thread running the bundle, one task at a time. `kill()` terminates the thread (the
 * hard time limit, revoke with terminate): the run in progress ends with the given error and the
 * sandbox is dead; the pool puts a fresh one in its place.
 */
export class Sandbox {
  readonly ready: Promise<SandboxTaskInfo[]>;
  private readonly thread: Worker;
  private current: { runId: number; settle: (o: RunOutcome) => void; onProgress: (v: unknown) => void } | undefined;
  private nextRunId = 1;
  private deathReason: TaskError | undefined;
  dead = false;

  constructor(init: SandboxInit) {
    this.thread = new Worker(THREAD_FILE, { workerData: init, stdout: false, stderr: false });
    this.ready = new Promise<SandboxTaskInfo[]>((resolve, reject) => {
      this.thread.on('message', (msg: FromSandbox) => {
        switch (msg.type) {
          case 'ready':
            resolve(msg.tasks);
            break;
          case 'load-error':
            reject(new BundleError(init.entry, msg.message.replace(/^task bundle [^:]+: /, '')));
            break;
          case 'progress':
            if (this.current?.runId === msg.runId) this.current.onProgress(msg.value);
            break;
          case 'done':
            if (this.current?.runId === msg.runId) {
              const { settle } = this.current;
              this.current = undefined;
              settle(msg.ok ? { ok: true, value: msg.value } : msg.retry ? { ok: false, error: msg.error, retry: msg.retry } : { ok: false, error: msg.error });
            }
            break;
        }
      });
      this.thread.on('error', (err) => {
        this.deathReason ??= { name: TaskErrorNames.workerLost, message: `sandbox crashed: ${err.message}`, stack: err.stack ?? '' };
        reject(new BundleError(init.entry, `sandbox crashed while loading: ${err.message}`));
      });
      this.thread.on('exit', (code) => {
        this.dead = true;
        reject(new BundleError(init.entry, `sandbox exited with code ${code} while loading`));
        const reason = this.deathReason ?? { name: TaskErrorNames.workerLost, message: `sandbox exited with code ${code} while running the task` };
        const current = this.current;
        this.current = undefined;
        current?.settle({ ok: false, error: reason });
      });
    });
    this.ready.catch(() => undefined);
  }

  /** Runs one task; resolves when it settles, the sandbox is killed or dies. */
  async run(request: RunRequest, onProgress: (value: unknown) => void): Promise<RunOutcome> {
    await this.ready;
    if (this.dead) return { ok: false, error: this.deathReason ?? { name: TaskErrorNames.workerLost, message: 'sandbox is gone' } };
    const runId = this.nextRunId++;
    return new Promise<RunOutcome>((settle) => {
      this.current = { runId, settle, onProgress };
      this.thread.postMessage({ type: 'run', runId, ...request } satisfies ToSandbox);
    });
  }

  /** Aborts the running task's ctx.signal with `reason` (the task may still finish). */
  abort(reason: TaskError): void {
    if (this.current) this.thread.postMessage({ type: 'abort', runId: this.current.runId, reason } satisfies ToSandbox);
  }

  /** True while a task runs here. */
  get busy(): boolean {
    return this.current !== undefined;
  }

  /** Terminates the thread; the running task (if any) ends with `reason`. */
  async kill(reason: TaskError): Promise<void> {
    this.deathReason = reason;
    this.dead = true;
    const current = this.current;
    this.current = undefined;
    current?.settle({ ok: false, error: reason });
    await this.thread.terminate();
  }
}
