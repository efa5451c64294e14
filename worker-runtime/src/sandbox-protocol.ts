import type { TaskError } from '@taskyard/api';

/** Data the main thread gives a sandbox thread at start (workerData). */
export interface SandboxInit {
  /** The bundle's module file. */
  entry: string;
  logLevel: string;
  workerId: string;
}

/** main -> sandbox */
export type ToSandbox =
  | {
      type: 'run';
      runId: number;
      id: string;
      name: string;
      queue: string;
      attempt: number;
      attempts: number;
      args: unknown[];
      kwargs: Record<string, unknown>;
    }
  | { type: 'abort'; runId: number; reason: TaskError };

/** sandbox -> main */
export type FromSandbox =
  | { type: 'ready'; tasks: Array<{ name: string; options?: unknown }> }
  | { type: 'load-error'; message: string }
  | { type: 'progress'; runId: number; value: unknown }
  | { type: 'done'; runId: number; ok: true; value: unknown }
  | { type: 'done'; runId: number; ok: false; error: TaskError; retry?: { delay?: number } };
