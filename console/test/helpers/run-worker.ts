import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { testRedisUrl } from './console-fixture.js';

const workerBin = fileURLToPath(new URL('../../../../worker-runtime/dist/src/bin/taskyard-worker.js', import.meta.url));
export const testBundle = fileURLToPath(new URL('../../../test/fixtures/test-bundle.mjs', import.meta.url));

export interface RunningWorker {
  process: ChildProcess;
  /** Every log line so far (for failure messages). */
  lines: string[];
  stop(): Promise<void>;
}

/**
 * Starts the real worker runtime (`taskyard-worker run`) as a child process on the test bundle,
 * serving `queues` of `namespace` as a WorkerPool pod would run it, and resolves once it logs "worker started".
 */
export async function runWorker(prefix: string, queues: string[], concurrency = 2, pool = 'test-pool', namespace = 'default'): Promise<RunningWorker> {
  const child = spawn(process.execPath, [workerBin, 'run'], {
    env: {
      ...process.env,
      TASKYARD_REDIS_URL: testRedisUrl(),
      TASKYARD_PREFIX: prefix,
      TASKYARD_QUEUES: queues.join(','),
      TASKYARD_CONCURRENCY: String(concurrency),
      TASKYARD_BUNDLE_PATH: testBundle,
      TASKYARD_HTTP_PORT: '0',
      TASKYARD_POOL: pool,
      POD_NAME: `${pool}-pod-${process.pid}`,
      // The namespace of its queues, as the operator sets it on a WorkerPool's pods.
      TASKYARD_NAMESPACE: namespace,
      POD_NAMESPACE: namespace,
      TASKYARD_LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const collect = (chunk: Buffer): void => {
    lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker did not start within 60 s:\n${lines.join('\n')}`)), 60_000);
    const check = (): void => {
      if (lines.some((l) => l.includes('"worker started"'))) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', check);
    child.stderr?.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`worker exited with ${code} before starting:\n${lines.join('\n')}`));
    });
  });
  return {
    process: child,
    lines,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 15_000).unref();
      }),
  };
}
