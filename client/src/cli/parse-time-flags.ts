import { usageError } from './cli-error.js';

/** `--countdown SECONDS` (Celery's countdown) as ms; fractions allowed, negatives not. */
export function parseSecondsFlag(flag: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const seconds = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(seconds) || seconds < 0) {
    throw usageError(`--${flag} must be a number of seconds >= 0, got ${JSON.stringify(raw)}: e.g. --${flag} 30`);
  }
  return Math.round(seconds * 1000);
}

/** `--eta ISO-8601` as a Date; the zone must be explicit so a laptop's zone cannot shift it. */
export function parseDateFlag(flag: string, raw: string | undefined): Date | undefined {
  if (raw === undefined) return undefined;
  const hasZone = /(Z|[+-]\d{2}:?\d{2})$/i.test(raw.trim());
  const date = new Date(raw);
  if (!hasZone || Number.isNaN(date.getTime())) {
    throw usageError(
      `--${flag} must be an ISO-8601 time with a zone, got ${JSON.stringify(raw)}: e.g. --${flag} 2030-01-01T09:00:00Z`,
    );
  }
  return date;
}

/** `--expires SECONDS|ISO` (Celery accepts both): ms from now, or an absolute Date. */
export function parseExpiresFlag(flag: string, raw: string | undefined): number | Date | undefined {
  if (raw === undefined) return undefined;
  if (/^\s*[0-9.]+\s*$/.test(raw)) return parseSecondsFlag(flag, raw);
  try {
    return parseDateFlag(flag, raw);
  } catch {
    throw usageError(
      `--${flag} must be seconds from now or an ISO-8601 time with a zone, got ${JSON.stringify(raw)}: ` +
        `e.g. --${flag} 300 or --${flag} 2030-01-01T09:00:00Z`,
    );
  }
}

/** `--flag N` as an integer in [min, max]. */
export function parseIntFlag(flag: string, raw: string | undefined, min: number, max: number): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isInteger(value) || value < min || value > max) {
    throw usageError(`--${flag} must be an integer from ${min} to ${max}, got ${JSON.stringify(raw)}`);
  }
  return value;
}
