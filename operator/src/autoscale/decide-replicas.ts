/** The autoscaling knobs of a WorkerPool (spec.autoscaling), with defaults already applied. */
export interface AutoscalePolicy {
  /** Fewest replicas; 0 lets the pool sleep when its queues are empty. */
  minReplicas: number;
  /** Most replicas. */
  maxReplicas: number;
  /** Backlog one replica is expected to carry; desired = ceil(backlog / target). */
  targetBacklogPerReplica: number;
  /** How long every recommendation must stay below the current count before scaling down. */
  scaleDownDelaySeconds: number;
  /** How long the backlog must stay at zero before scaling to zero (when minReplicas is 0). */
  idleSecondsBeforeZero: number;
}

/** Queue depth summed over the pool's queues. */
export interface Backlog {
  waiting: number;
  prioritized: number;
  active: number;
}

/** What the decision remembers between polls (kept in memory by the operator, per WorkerPool). */
export interface AutoscaleMemory {
  /** Epoch ms since which every recommendation was below the current replicas; undefined = not below. */
  belowSince?: number | undefined;
  /** Highest recommendation seen since belowSince: scale-down goes no lower than this. */
  peakWhileBelow?: number | undefined;
  /** Epoch ms of the last poll that saw a non-zero backlog (or of the first poll after a restart). */
  lastBusyAt?: number | undefined;
}

export type ScaleReason =
  | 'ScaleUp'
  | 'ScaleFromZero'
  | 'ScaleDown'
  | 'ScaleToZero'
  | 'BelowMinReplicas'
  | 'AboveMaxReplicas'
  | 'Steady'
  | 'ScaleDownDelayed'
  | 'IdleBeforeZero';

export interface ScaleDecision {
  /** Replicas the Deployment should have. */
  replicas: number;
  /** Why (CamelCase, for status and events). */
  reason: ScaleReason;
  /** One sentence with the numbers behind the reason. */
  message: string;
  /** backlog = waiting + prioritized + active. */
  backlog: number;
  /** ceil(backlog / target) clamped to [min, max], before delays are applied. */
  recommendation: number;
  /** Memory to pass to the next call. */
  memory: AutoscaleMemory;
}

export interface DecideReplicasInput {
  policy: AutoscalePolicy;
  backlog: Backlog;
  /** Replicas the Deployment has now (spec.replicas). */
  currentReplicas: number;
  /** Epoch ms of this poll. */
  now: number;
  memory: AutoscaleMemory;
}

/**
 * The autoscaler's decision, pure. Rules:
 * - backlog = waiting + prioritized + active; recommendation = ceil(backlog / target), clamped to [min, max];
 * - a current count outside [min, max] is corrected at once;
 * - up (including from zero, as soon as one task waits) at once;
 * - down only once every recommendation for scaleDownDelaySeconds was below the current count, and then to
 *   the highest of those recommendations (never below 1 while work was seen within idleSecondsBeforeZero);
 * - to zero once the backlog has been zero for idleSecondsBeforeZero (minReplicas 0 only).
 */
export function decideReplicas(input: DecideReplicasInput): ScaleDecision {
  const { policy, currentReplicas: current, now } = input;
  const min = Math.max(0, Math.floor(policy.minReplicas));
  const max = Math.max(min, Math.floor(policy.maxReplicas));
  const target = Math.max(1, policy.targetBacklogPerReplica);
  const backlog = Math.max(0, input.backlog.waiting) + Math.max(0, input.backlog.prioritized) + Math.max(0, input.backlog.active);
  const recommendation = clamp(Math.ceil(backlog / target), min, max);
  const lastBusyAt = backlog > 0 ? now : (input.memory.lastBusyAt ?? now);
  const idleMs = now - lastBusyAt;
  const facts = `backlog ${backlog}, target ${target} per replica, bounds ${min}-${max}`;
  const decision = (replicas: number, reason: ScaleReason, message: string, memory: AutoscaleMemory): ScaleDecision => ({
    replicas,
    reason,
    message: `${message} (${facts})`,
    backlog,
    recommendation,
    memory: { ...memory, lastBusyAt },
  });

  if (current < min) return decision(min, 'BelowMinReplicas', `raised ${current} to minReplicas ${min}`, {});
  if (current > max) return decision(max, 'AboveMaxReplicas', `lowered ${current} to maxReplicas ${max}`, {});
  if (recommendation > current) {
    const reason = current === 0 ? 'ScaleFromZero' : 'ScaleUp';
    return decision(recommendation, reason, `scaled up from ${current} to ${recommendation}`, {});
  }
  if (recommendation === current) return decision(current, 'Steady', `kept ${current}`, {});

  // recommendation < current: scale-down paths.
  if (recommendation === 0) {
    if (idleMs >= policy.idleSecondsBeforeZero * 1000) {
      return decision(0, 'ScaleToZero', `scaled from ${current} to zero after ${Math.round(idleMs / 1000)}s idle`, {});
    }
    if (current === 1) {
      return decision(1, 'IdleBeforeZero', `kept 1 until idle for ${policy.idleSecondsBeforeZero}s (idle ${Math.round(idleMs / 1000)}s)`, {});
    }
  }
  const floor = Math.max(recommendation, min === 0 && current > 0 ? 1 : 0);
  const belowSince = input.memory.belowSince ?? now;
  const peak = Math.min(current, Math.max(input.memory.peakWhileBelow ?? floor, floor));
  if (now - belowSince >= policy.scaleDownDelaySeconds * 1000) {
    return decision(peak, 'ScaleDown', `scaled down from ${current} to ${peak} after ${Math.round((now - belowSince) / 1000)}s below`, {});
  }
  return decision(
    current,
    'ScaleDownDelayed',
    `kept ${current}; scale-down to ${peak} waits for ${policy.scaleDownDelaySeconds}s below (${Math.round((now - belowSince) / 1000)}s so far)`,
    { belowSince, peakWhileBelow: peak },
  );
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
