import type { MachineInfo } from './machine-info.js';
import type { SystemFigures } from './system-figures.js';

/** bench/results/throughput.json */
export interface ThroughputReport {
  date: string;
  machine: MachineInfo;
  concurrency: number;
  /** Rounds per Node system (Celery runs once); `systems` holds the medians. */
  rounds: number;
  systems: SystemFigures[];
  /** Every round's figures per system. */
  allRounds: Record<string, SystemFigures[]>;
  /** Taskyard's processing rate over each baseline's, and its p99 start latency, against the targets. */
  targets: {
    vsBullmq?: { ratio: number; target: 0.85; met: boolean };
    vsCelery?: { ratio: number; target: 5; met: boolean };
    p99StartMs?: { value: number; target: 10; met: boolean };
  };
}

export function computeTargets(systems: SystemFigures[]): ThroughputReport['targets'] {
  const find = (name: string) => systems.find((s) => s.system === name);
  const taskyard = find('taskyard');
  const bullmq = find('bullmq');
  const celery = find('celery');
  const targets: ThroughputReport['targets'] = {};
  if (!taskyard) return targets;
  if (bullmq) {
    const ratio = taskyard.processPerSecond / bullmq.processPerSecond;
    targets.vsBullmq = { ratio, target: 0.85, met: ratio >= 0.85 };
  }
  if (celery) {
    const ratio = taskyard.processPerSecond / celery.processPerSecond;
    targets.vsCelery = { ratio, target: 5, met: ratio >= 5 };
  }
  const p99 = taskyard.startLatencyMs.p99;
  targets.p99StartMs = { value: p99, target: 10, met: p99 <= 10 };
  return targets;
}
