import { spawn, type SpawnOptions } from 'node:child_process';
import type { RunningWorker } from './benched-system.js';
import { processCpuSeconds } from './process-cpu-seconds.js';

/**
 * Spawns a worker process whose output goes to stderr (prefixed JSON lines stay readable) and returns
 * a handle that stops it. A worker that exits on its own before stop() fails the run loudly.
 */
export function spawnWorkerProcess(label: string, command: string, args: string[], options: SpawnOptions): RunningWorker {
  const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
  let stopping = false;
  let tail = '';
  const keep = (chunk: Buffer): void => {
    tail = (tail + chunk.toString()).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.once('exit', (code, signal) => {
    if (!stopping) {
      process.stderr.write(`${label} worker exited unexpectedly (code ${code}, signal ${signal}); last output:\n${tail}\n`);
      process.exitCode = 1;
    }
  });
  return {
    cpuSeconds: () => processCpuSeconds(child.pid),
    async stop() {
      stopping = true;
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
