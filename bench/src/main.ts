/**
 * `make -C bench all`: no-op tasks through a plain BullMQ Worker, the Taskyard runtime and Celery 5,
 * one after the other on the same Redis, in one run. Writes bench/results/throughput.json and the
 * table in bench/README.md. Options: see bench-options.ts.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchedSystem } from './benched-system.js';
import { readBenchOptions } from './bench-options.js';
import { BullmqSystem } from './bullmq-system.js';
import { CelerySystem } from './celery-system.js';
import { ensureCeleryVenv } from './ensure-celery-venv.js';
import { machineInfo } from './machine-info.js';
import { measureSystem } from './measure-system.js';
import { medianFigures } from './median-figures.js';
import { renderResultsTable } from './render-results-table.js';
import type { SystemFigures } from './system-figures.js';
import { TaskyardSystem } from './taskyard-system.js';
import { computeTargets, type ThroughputReport } from './throughput-report.js';

const benchDir = fileURLToPath(new URL('../../', import.meta.url));
const options = readBenchOptions();
const runId = Date.now().toString(36);

function createSystem(name: string): BenchedSystem {
  switch (name) {
    case 'bullmq':
      return new BullmqSystem(options.redisUrl, options.concurrency, options.enqueueWindow);
    case 'taskyard':
      return new TaskyardSystem(options.redisUrl, options.concurrency, options.enqueueWindow, benchDir);
    case 'celery': {
      const bin = ensureCeleryVenv(benchDir);
      const version = execFileSync(join(bin, 'celery'), ['--version'], { encoding: 'utf8' }).trim().split(' ')[0] ?? '?';
      return new CelerySystem(options.redisUrl, bin, benchDir, options.concurrency, process.env.BENCH_CELERY_POOL ?? 'threads', version);
    }
    default:
      throw new Error(`BENCH_SYSTEMS names unknown system "${name}": use bullmq, taskyard, celery`);
  }
}

// Rounds interleave the systems (bullmq, taskyard, bullmq, taskyard...) so load from other work on a
// shared machine hits them alike; each figure is the median over rounds. Celery, slower, runs once.
const rounds = new Map<string, SystemFigures[]>();
for (let round = 1; round <= options.rounds; round++) {
  for (const name of options.systems) {
    if (name === 'celery' && round > 1) continue;
    const system = createSystem(name);
    try {
      process.stderr.write(`${JSON.stringify({ level: 'info', msg: 'round', round, of: options.rounds, system: name })}\n`);
      const figures = await measureSystem(system, name === 'celery' ? options.celeryN : options.n, options.latencySeconds, `${runId}-r${round}`);
      rounds.set(name, [...(rounds.get(name) ?? []), figures]);
    } finally {
      await system.close();
    }
  }
}
const figures = [...rounds.values()].map(medianFigures);

const report: ThroughputReport = {
  date: new Date().toISOString(),
  machine: machineInfo(),
  concurrency: options.concurrency,
  rounds: options.rounds,
  systems: figures,
  allRounds: Object.fromEntries(rounds),
  targets: computeTargets(figures),
};
process.stdout.write(`${renderResultsTable(report)}\n`);
if (process.env.BENCH_CPU_PROF || process.env.BENCH_NO_WRITE) {
  process.stderr.write('trial or profiling run: figures not written (profiles, if any, are in bench/results/profiles/)\n');
  process.exit(process.exitCode ?? 0);
}
mkdirSync(join(benchDir, 'results'), { recursive: true });
writeFileSync(join(benchDir, 'results', 'throughput.json'), `${JSON.stringify(report, null, 2)}\n`);

const readmePath = join(benchDir, 'README.md');
const readme = readFileSync(readmePath, 'utf8');
const start = '<!-- results:start -->';
const end = '<!-- results:end -->';
const from = readme.indexOf(start);
const to = readme.indexOf(end);
if (from < 0 || to < from) throw new Error(`bench/README.md lacks the ${start} … ${end} markers the table goes between`);
writeFileSync(readmePath, `${readme.slice(0, from + start.length)}\n${renderResultsTable(report)}\n${readme.slice(to)}`);
