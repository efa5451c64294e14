import type { TaskError } from '@taskyard/api';

/** Data the main thread gives a sandbox thread at start (workerData). */
export interface SandboxInit {
  /** The bundle's module file. */
  entry: string;
  logLevel: string;
  workerId: string;
}

/** One task to run, as sent to a sandbox. */
export interface RunItem {
  runId: number;
  id: string;
  name: string;
  queue: string;
  attempt: number;
  attempts: number;
  args: unknown[];
  kwargs: Record<string, unknown>;
}

/**
 * main -> sandbox. `run` carries one task, or several short ones (a batch, sent when tasks wait
 * for sandboxes) that the sandbox runs one after the other. `abort` aborts a running task's
 * signal, or drops it if it has not started yet.
 */
export type ToSandbox = { type: 'run'; items: RunItem[] } | { type: 'abort'; runId: number; reason: TaskError };

/** How one task ended in the sandbox. `ms` = handler run time. */
export type RunResult =
  | { runId: number; ms: number; ok: true; value: unknown }
  | { runId: number; ms: number; ok: false; error: TaskError; retry?: { delay?: number } };

/** sandbox -> main. `done` carries task results (one per message today). */
export type FromSandbox =
  | { type: 'ready'; tasks: Array<{ name: string; options?: unknown }> }
  | { type: 'load-error'; message: string }
  | { type: 'progress'; runId: number; value: unknown }
  | { type: 'done'; results: RunResult[] };
