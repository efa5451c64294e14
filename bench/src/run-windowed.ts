/** Calls `send` for 0..count-1 with at most `window` calls in flight; resolves when all settled. */
export async function runWindowed(count: number, window: number, send: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < count) await send(next++);
  };
  await Promise.all(Array.from({ length: Math.min(window, count) }, lane));
}
