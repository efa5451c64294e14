/**
 * KEDA's reaction to a burst with its defaults, modelled: the KEDA operator polls the scaler every 30 s
 * (pollingInterval) and activates 0 → 1 at the first poll after the burst; going further is the HPA's job,
 * which syncs every 15 s (--horizontal-pod-autoscaler-sync-period) and reads the metric KEDA serves.
 * `phaseMs` is when the burst happened relative to KEDA's polling grid (uniform in [0, 30 s)), `hpaPhaseMs`
 * likewise for the HPA grid. Returns ms from burst to replicas patched (activation) and to the HPA's scale.
 */
export function kedaReactionMs(phaseMs: number, hpaPhaseMs: number): { activation: number; scaleOut: number } {
  const POLL = 30_000;
  const HPA = 15_000;
  const activation = POLL - (phaseMs % POLL);
  // The HPA acts at its first sync after activation (it needs the ScaledObject's target to have replicas).
  const sinceHpaTick = (hpaPhaseMs + activation) % HPA;
  return { activation, scaleOut: activation + (HPA - sinceHpaTick) };
}
