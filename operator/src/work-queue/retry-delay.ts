/** Exponential backoff for the n-th consecutive failure (n >= 1): base * 2^(n-1), capped at max. Pure. */
export function retryDelay(failures: number, baseMs: number, maxMs: number): number {
  if (failures < 1) return 0;
  const exponent = Math.min(failures - 1, 40);
  return Math.min(maxMs, baseMs * 2 ** exponent);
}
