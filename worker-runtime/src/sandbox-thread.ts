/**
 * The code of one sandbox: a worker thread that imports the bundle and runs one task at a time,
 * as told by the main thread. A task that never yields (`while (true) {}`) blocks only this
 * thread; the main thread kills it at the hard time limit and starts a fresh one.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';
import { BundleError } from './bundle-error.js';
import { syntaxErrorLocation } from './syntax-error-location.js';
import { collectBundleTasks } from './collect-bundle-tasks.js';
import type { TaskDefinition } from './define-task.js';
import { createLogger } from './json-logger.js';
import { SandboxErrorNames as TaskErrorNames } from './sandbox-error-names.js';
import type { FromSandbox, RunItem, RunResult, SandboxInit, ToSandbox } from './sandbox-protocol.js';
import type { TaskError } from '@taskyard/api';
import type { RetryOptions, TaskContext, TaskLogger } from './task-context.js';
import { serializeError } from './task-failure.js';

const init = workerData as SandboxInit;
const port = parentPort;
if (!port) throw new Error('sandbox-thread must run in a worker thread');
const send = (msg: FromSandbox): void => port.postMessage(msg);
const baseLogger = createLogger(init.logLevel, { worker: init.workerId });

/** Thrown by ctx.retry(): tells the runtime to schedule another attempt. */
class TaskRetry extends Error {
  override name = 'TaskRetry';
  constructor(
    message: string,
    readonly delay: number | undefined,
  ) {
    super(message);
  }
}

/**
 * The abort state of a running task. The AbortController is made only when the handler reads
 * ctx.signal or an abort arrives: most tasks never need one.
 */
class RunSignal {
  private controller: AbortController | undefined;
  private reason: Error | undefined;

  get signal(): AbortSignal {
    this.controller ??= new AbortController();
    if (this.reason && !this.controller.signal.aborted) this.controller.abort(this.reason);
    return this.controller.signal;
  }

  abort(reason: Error): void {
    this.reason = reason;
    this.controller?.abort(reason);
  }

  get abortReason(): Error | undefined {
    return this.reason;
  }
}

const running = new Map<number, RunSignal>();
let tasks: Map<string, TaskDefinition>;

async function load(): Promise<void> {
  (globalThis as Record<string, unknown>).defineTask = (definition: unknown) => definition;
  let namespace: Record<string, unknown>;
  try {
    namespace = (await import(pathToFileURL(init.entry).href)) as Record<string, unknown>;
  } catch (err) {
    const e = err as Error;
    const where = /file:\/\/[^\s)]+:\d+(:\d+)?/.exec(e.stack ?? '')?.[0] ?? (e.name === 'SyntaxError' ? await syntaxErrorLocation(init.entry) : undefined);
    const hint = /Cannot use import statement|Unexpected token 'export'/.test(e.message) && init.entry.endsWith('.js')
      ? ' - the bundle is an ES module: name the file .mjs or add a package.json with "type": "module" next to it'
      : '';
    throw new BundleError(init.entry, `failed to load: ${e.name}: ${e.message}${where ? ` (at ${where})` : ''}${hint}`);
  }
  tasks = collectBundleTasks(init.entry, namespace);
}

const inbox: RunItem[] = [];
const dropped = new Map<number, TaskError>();
let pumping = false;

/** Runs the inbox one task at a time, in order. */
async function pump(): Promise<void> {
  if (pumping) return;
  pumping = true;
  for (let msg = inbox.shift(); msg !== undefined; msg = inbox.shift()) {
    const drop = dropped.get(msg.runId);
    if (drop) {
      dropped.delete(msg.runId);
      finish({ runId: msg.runId, ms: 0, ok: false, error: drop });
      continue;
    }
    await run(msg);
  }
  pumping = false;
}

/**
 * Sends a task's result at once. (Holding results back to send several together would save
 * messages, but if the thread then died, the main thread could not tell a finished task from the
 * one that was running.)
 */
function finish(result: RunResult): void {
  send({ type: 'done', results: [result] });
}

async function run(msg: RunItem): Promise<void> {
  const task = tasks.get(msg.name);
  const runSignal = new RunSignal();
  running.set(msg.runId, runSignal);
  const started = performance.now();
  let logger: TaskLogger | undefined;
  const ctx: TaskContext = {
    id: msg.id,
    name: msg.name,
    queue: msg.queue,
    attempt: msg.attempt,
    attempts: msg.attempts,
    kwargs: msg.kwargs,
    get signal(): AbortSignal {
      return runSignal.signal;
    },
    get logger(): TaskLogger {
      logger ??= baseLogger.child({ taskId: msg.id, task: msg.name, queue: msg.queue, attempt: msg.attempt });
      return logger;
    },
    progress(value) {
      send({ type: 'progress', runId: msg.runId, value: toJson(value) });
    },
    retry(options: RetryOptions = {}): never {
      const cause = options.error;
      if (msg.attempt >= msg.attempts) {
        const e = new Error(
          `task ${msg.name} asked to retry on attempt ${msg.attempt} of ${msg.attempts}${cause ? `: ${serializeError(cause).name}: ${serializeError(cause).message}` : ''}`,
          { cause },
        );
        e.name = TaskErrorNames.maxRetries;
        throw e;
      }
      const base = cause !== undefined ? serializeError(cause) : undefined;
      const retry = new TaskRetry(base ? `${base.name}: ${base.message}` : `retry requested by task ${msg.name}`, options.delay);
      throw retry;
    },
  };
  try {
    if (!task) throw Object.assign(new Error(`no task named "${msg.name}" in bundle ${init.entry}`), { name: TaskErrorNames.unknownTask });
    const value = await task.handler(ctx, ...msg.args);
    const abortReason = runSignal.abortReason;
    if (abortReason && abortReason.name === TaskErrorNames.revoked) {
      throw abortReason;
    }
    finish({ runId: msg.runId, ms: performance.now() - started, ok: true, value: value === undefined ? null : toJson(value) });
  } catch (thrown) {
    const error = serializeError(thrown);
    if (thrown instanceof TaskRetry) {
      const retry: { delay?: number } = {};
      if (thrown.delay !== undefined) retry.delay = thrown.delay;
      finish({ runId: msg.runId, ms: performance.now() - started, ok: false, error, retry });
    } else {
      finish({ runId: msg.runId, ms: performance.now() - started, ok: false, error });
    }
  } finally {
    running.delete(msg.runId);
  }
}

function toJson(value: unknown): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  const text = JSON.stringify(value);
  return text === undefined ? null : (JSON.parse(text) as unknown);
}

port.on('message', (msg: ToSandbox) => {
  if (msg.type === 'run') {
    inbox.push(...msg.items);
    void pump();
  } else if (msg.type === 'abort') {
    const runSignal = running.get(msg.runId);
    if (runSignal) {
      const reason = new Error(msg.reason.message);
      reason.name = msg.reason.name;
      runSignal.abort(reason);
    } else if (inbox.some((item) => item.runId === msg.runId)) {
      dropped.set(msg.runId, msg.reason);
    }
  }
});

load().then(
  () => send({ type: 'ready', tasks: [...tasks.values()].map((t) => ({ name: t.name, options: t.options })) }),
  (err: unknown) => send({ type: 'load-error', message: (err as Error).message }),
);
