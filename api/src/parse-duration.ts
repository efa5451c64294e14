import { DURATION_PATTERN } from './duration.js';

const unitMs = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/**
 * Milliseconds of a duration string (`"500ms"`, `"30s"`, `"5m"`, `"1h"`, `"2d"`).
 * Throws a RangeError naming the value and the accepted form when it is not one.
 */
export function parseDuration(value: string): number {
  const match = DURATION_PATTERN.exec(value);
  if (!match) {
    throw new RangeError(
      `invalid duration ${JSON.stringify(value)}: write a whole number and one unit of ms, s, m, h or d, e.g. "30s"`,
    );
  }
  const unit = match[1] as keyof typeof unitMs;
  return Number.parseInt(value.slice(0, value.length - unit.length), 10) * unitMs[unit];
}
