/**
 * pod-deletion-cost per pod of a pool: the number of tasks it runs (busy pods cost more, so the ReplicaSet
 * controller removes idle pods first on scale-down); pods with no running task get 0. Pure.
 */
export function deletionCosts(podNames: readonly string[], activeTasksByPod: ReadonlyMap<string, number>): Map<string, number> {
  const costs = new Map<string, number>();
  for (const pod of podNames) costs.set(pod, Math.min(activeTasksByPod.get(pod) ?? 0, 2_147_483_647));
  return costs;
}
