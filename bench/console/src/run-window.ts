/**
 * Runs `total` calls of `op` with at most `window` in flight; returns each call's latency (ms)
 * and the wall time of the whole run (ms).
 */
export async function runWindow(total: number, window: number, op: (i: number) => Promise<unknown>): Promise<{ latencies: number[]; wallMs: number }> {
  const latencies: number[] = new Array<number>(total);
  let next = 0;
  const started = performance.now();
  const lane = async (): Promise<void> => {
    while (next < total) {
      const i = next++;
      const t0 = performance.now();
      await op(i);
      latencies[i] = performance.now() - t0;
    }
  };
  await Promise.all(Array.from({ length: Math.min(window, total) }, lane));
  return { latencies, wallMs: performance.now() - started };
}
