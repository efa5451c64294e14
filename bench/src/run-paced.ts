/**
 * Open-loop producer: calls `send` `count` times at `ratePerSecond`, on schedule whether or not earlier
 * calls have finished (a closed loop would hide queueing delay). Resolves when every call settled.
 */
export async function runPaced(ratePerSecond: number, count: number, send: (index: number) => Promise<void>): Promise<void> {
  const start = performance.now();
  const pending: Promise<void>[] = [];
  let sent = 0;
  while (sent < count) {
    const due = Math.min(count, Math.floor(((performance.now() - start) / 1000) * ratePerSecond) + 1);
    while (sent < due) pending.push(send(sent++));
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  await Promise.all(pending);
}
