import { z } from 'zod';

/**
 * A duration written as a whole number and one unit: `500ms`, `30s`, `5m`, `1h`, `2d`.
 * One unit only (no `1h30m`): it keeps the CEL rules of the CRD simple and the value readable.
 * `parseDuration` turns it into milliseconds.
 */
export const DURATION_PATTERN = /^[0-9]{1,9}(ms|s|m|h|d)$/;

/** Longest accepted duration string; bounds the cost of the CRD's CEL rules that read durations. */
export const DURATION_MAX_LENGTH = 11;

export const durationSchema = z
  .string()
  .max(DURATION_MAX_LENGTH)
  .regex(DURATION_PATTERN, {
    message: 'must be a duration such as "500ms", "30s", "5m", "1h" or "2d" (a whole number and one unit)',
  });

export type Duration = z.infer<typeof durationSchema>;
