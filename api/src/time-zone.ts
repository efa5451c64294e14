import { z } from 'zod';

/** Shape of an IANA time zone name (`UTC`, `Europe/Paris`, `America/Argentina/Buenos_Aires`, `Etc/GMT+5`). */
export const TIME_ZONE_PATTERN = /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/;

/** True when the runtime's time zone database (Intl, full ICU in Node) knows `name`. */
export function isKnownTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/**
 * An IANA time zone. The CRD checks only the shape (TIME_ZONE_PATTERN); the zone itself is checked
 * at runtime against Intl's database, the same database the beat pods' Node uses.
 */
export const timeZoneSchema = z
  .string()
  .max(64)
  .regex(TIME_ZONE_PATTERN, { message: 'must be an IANA time zone name such as "UTC" or "Europe/Paris"' })
  .refine(isKnownTimeZone, { message: 'is not a known IANA time zone (e.g. "UTC", "Europe/Paris", "America/New_York")' });
