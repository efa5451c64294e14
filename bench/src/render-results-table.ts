import type { ThroughputReport } from './throughput-report.js';

const fmt = (n: number, digits = 0): string => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');

/** The Markdown block bench/README.md shows between its results markers. */
export function renderResultsTable(report: ThroughputReport): string {
  const m = report.machine;
  const lines = [
    `Run ${report.date} on ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, ${m.os}, Node ${m.node}, redis ${m.redis}, load average ${m.loadAverage1m} at the end (other work on the machine); ` +
      `worker concurrency ${report.concurrency}; one Redis for all systems; medians of ${report.rounds} interleaved rounds (Celery: 1).`,
    '',
    '| system | N | enqueue/s | producer CPU µs/task | processed/s | worker CPU µs/task | sustained/s | latency rate/s | start p50 ms | start p99 ms | p50 / p99 ms at 100/s | setup |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|',
    ...report.systems.map((s) =>
      `| ${s.system} | ${s.n} | ${fmt(s.enqueuePerSecond)} | ${fmt(s.producerCpuUsPerTask)} | ${fmt(s.processPerSecond)} | ${fmt(s.workerCpuUsPerTask)} | ${fmt(s.sustainedPerSecond)} | ${fmt(s.latencyRatePerSecond)} | ` +
      `${fmt(s.startLatencyMs.p50, 2)} | ${fmt(s.startLatencyMs.p99, 2)} | ${fmt(s.lowRateStartLatencyMs.p50, 2)} / ${fmt(s.lowRateStartLatencyMs.p99, 2)} | ${s.setup} |`),
    '',
  ];
  const t = report.targets;
  if (t.vsBullmq) lines.push(`- taskyard / bullmq processing: ${fmt(t.vsBullmq.ratio, 2)}× (target ≥ 0.85×) — ${t.vsBullmq.met ? 'met' : 'missed'}`);
  if (t.vsCelery) lines.push(`- taskyard / celery processing: ${fmt(t.vsCelery.ratio, 2)}× (target ≥ 5×) — ${t.vsCelery.met ? 'met' : 'missed'}`);
  if (t.p99StartMs) lines.push(`- taskyard p99 enqueue→start: ${fmt(t.p99StartMs.value, 2)} ms (target ≤ 10 ms) — ${t.p99StartMs.met ? 'met' : 'missed'}`);
  return lines.join('\n');
}
