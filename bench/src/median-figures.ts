import type { SystemFigures } from './system-figures.js';

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};

/**
 * One system's figures over several rounds: the median of every number (each field on its own), so a
 * round hit by other load on a shared machine does not decide the result. Strings from the first round.
 */
export function medianFigures(rounds: SystemFigures[]): SystemFigures {
  const [first] = rounds;
  if (!first) throw new Error('medianFigures needs at least one round');
  const combine = (values: unknown[]): unknown => {
    const [head] = values;
    if (typeof head === 'number') return median(values as number[]);
    if (typeof head === 'object' && head !== null) {
      return Object.fromEntries(Object.keys(head).map((k) => [k, combine(values.map((v) => (v as Record<string, unknown>)[k]))]));
    }
    return head;
  };
  return combine(rounds) as SystemFigures;
}
