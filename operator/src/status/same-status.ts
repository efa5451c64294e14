import { isDeepStrictEqual } from 'node:util';

/** True when two status objects say the same thing (undefined fields ignored): no write needed. Pure. */
export function sameStatus(a: unknown, b: unknown): boolean {
  return isDeepStrictEqual(strip(a), strip(b));
}

function strip(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(strip);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, strip(v)]),
    );
  }
  return value;
}
