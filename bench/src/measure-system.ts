import type { BenchedSystem } from './benched-system.js';
import { percentile } from './percentile.js';
import type { LatencyPercentiles, SystemFigures } from './system-figures.js';
import { waitUntil } from './wait-until.js';

/**
 * One system, four phases: enqueue rate (no worker), processing rate (draining a full queue), sustained
 * rate (producer and worker together), start latency at half the sustained rate.
 */
export async function measureSystem(system: BenchedSystem, n: number, latencySeconds: number, runId: string): Promise<SystemFigures> {
  const throughputQueue = `bench-${system.name}-${runId}-tp`;
  const latencyQueue = `bench-${system.name}-${runId}-lat`;
  const log = (msg: string, fields: Record<string, unknown> = {}): void => {
    process.stderr.write(`${JSON.stringify({ level: 'info', msg, system: system.name, ...fields })}\n`);
  };
  try {
    log('enqueue phase', { n });
    const cpuBefore = process.cpuUsage();
    const enqueueSeconds = await system.enqueueNoops(throughputQueue, n);
    const cpu = process.cpuUsage(cpuBefore);
    // The Node producers run in this process; Celery's runs in a Python child (not counted here).
    const producerCpuUsPerTask = system.name === 'celery' ? Number.NaN : (cpu.user + cpu.system) / n;
    const stored = await system.remaining(throughputQueue);
    if (stored !== n) throw new Error(`${system.name}: ${stored} of ${n} enqueued tasks found in Redis`);

    log('processing phase');
    const worker = await system.startWorker(throughputQueue);
    // Start-up is excluded: the clock starts at the first poll that sees the queue shrink.
    let startAt = 0;
    let startRemaining = n;
    let startCpu = 0;
    await waitUntil(`${system.name} to start draining`, async () => {
      const left = await system.remaining(throughputQueue);
      if (left < n) { startAt = performance.now(); startCpu = worker.cpuSeconds(); startRemaining = left; return true; }
      return false;
    }, 120_000, 5);
    await waitUntil(`${system.name} to drain ${n} tasks`, async () => (await system.remaining(throughputQueue)) === 0, 600_000, 5);
    const processPerSecond = startRemaining / ((performance.now() - startAt) / 1000);
    const workerCpuUsPerTask = ((worker.cpuSeconds() - startCpu) / startRemaining) * 1e6;
    log('processed', { processPerSecond: Math.round(processPerSecond), workerCpuUsPerTask: Math.round(workerCpuUsPerTask) });

    // Sustained rate: producer and worker at full speed together, as they share the machine. Half of
    // it is the latency phase's rate (half of the drain rate alone would overload the machine once
    // the producer needs its share of the CPU, and measure a growing backlog instead of latency).
    log('sustained phase', { n });
    let sustainedStart: number | undefined;
    let enqueued = false;
    const producing = system.enqueueNoops(throughputQueue, n).finally(() => { enqueued = true; });
    await waitUntil(`${system.name} producer to start`, async () => {
      if (enqueued || (await system.remaining(throughputQueue)) > 0) sustainedStart = performance.now();
      return sustainedStart !== undefined;
    }, 120_000, 2);
    await producing;
    await waitUntil(`${system.name} to finish the sustained run`, async () => (await system.remaining(throughputQueue)) === 0, 600_000, 5);
    const sustainedPerSecond = n / ((performance.now() - (sustainedStart ?? 0)) / 1000);
    await worker.stop();
    log('sustained', { sustainedPerSecond: Math.round(sustainedPerSecond) });

    const rate = sustainedPerSecond / 2;
    const count = Math.max(200, Math.round(rate * latencySeconds));
    const halfRate = await measureLatency(system, `${latencyQueue}-half`, rate, count, log);
    const lowCount = Math.max(100, Math.round(LOW_RATE * latencySeconds));
    const lowRate = await measureLatency(system, `${latencyQueue}-low`, LOW_RATE, lowCount, log);
    return {
      system: system.name,
      setup: system.setup,
      n,
      enqueuePerSecond: n / enqueueSeconds,
      producerCpuUsPerTask,
      processPerSecond,
      workerCpuUsPerTask,
      sustainedPerSecond,
      latencyRatePerSecond: rate,
      latencyTasks: count,
      startLatencyMs: halfRate,
      lowRatePerSecond: LOW_RATE,
      lowRateStartLatencyMs: lowRate,
    };
  } finally {
    await system.cleanup(throughputQueue);
  }
}

/** A fixed low rate: the pipeline's own delay, with no backlog on a busy machine. */
const LOW_RATE = 100;

/** A fresh worker on `queue`, one warm-up task, then `count` timed tasks at `rate`/s; their start delays. */
async function measureLatency(system: BenchedSystem, queue: string, rate: number, count: number,
  log: (msg: string, fields?: Record<string, unknown>) => void): Promise<LatencyPercentiles> {
  log('latency phase', { rate: Math.round(rate), count });
  const worker = await system.startWorker(queue);
  try {
    await system.enqueueNoops(queue, 1);
    await waitUntil(`${system.name} worker to run a warm-up task`, async () => (await system.remaining(queue)) === 0, 120_000);
    await system.enqueueTimed(queue, rate, count);
    await waitUntil(`${system.name} to run ${count} timed tasks`, async () => (await system.remaining(queue)) === 0, 300_000);
    const latencies = await waitForLatencies(system, queue, count);
    return {
      p50: percentile(latencies, 50), p90: percentile(latencies, 90), p99: percentile(latencies, 99), max: percentile(latencies, 100),
    };
  } finally {
    await worker.stop();
    await system.cleanup(queue);
  }
}

/** Results land right after the queue empties (a result write follows the ack); wait for all of them. */
async function waitForLatencies(system: BenchedSystem, queue: string, count: number): Promise<number[]> {
  let latencies: number[] = [];
  await waitUntil(`${count} start latencies from ${system.name}`, async () => {
    latencies = await system.latencies(queue);
    return latencies.length >= count;
  }, 30_000, 100);
  return latencies;
}
