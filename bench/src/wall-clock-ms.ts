/**
 * Wall-clock time in milliseconds with sub-millisecond resolution. Enqueue and start times are taken
 * in different processes, so they must share the system clock (Date.now() alone is whole ms).
 */
export function wallClockMs(): number {
  return performance.timeOrigin + performance.now();
}
