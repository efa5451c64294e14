import type { Condition } from '@taskyard/api';

/** A condition as computed by a reconcile, before its transition time is known. */
export interface ConditionInput {
  type: 'Ready' | 'Progressing' | 'Degraded';
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
}

/**
 * The new conditions list: each input replaces the condition of its type, keeping lastTransitionTime when the
 * status did not change (the Kubernetes convention), so an unchanged status compares equal and is not
 * rewritten. Other types are kept. Pure.
 */
export function setConditions(
  current: readonly Condition[] | undefined,
  inputs: readonly ConditionInput[],
  generation: number | undefined,
  now: Date,
): Condition[] {
  const byType = new Map((current ?? []).map((c) => [c.type, c]));
  for (const input of inputs) {
    const previous = byType.get(input.type);
    const lastTransitionTime = previous && previous.status === input.status && previous.lastTransitionTime ? previous.lastTransitionTime : now.toISOString().replace(/\.\d{3}Z$/, 'Z');
    const condition: Condition = { ...input, lastTransitionTime };
    if (generation !== undefined) condition.observedGeneration = generation;
    byType.set(input.type, condition);
  }
  const order = ['Ready', 'Progressing', 'Degraded'];
  return [...byType.values()].sort((a, b) => rank(order, a.type) - rank(order, b.type));
}

function rank(order: string[], type: string): number {
  const i = order.indexOf(type);
  return i === -1 ? order.length : i;
}
