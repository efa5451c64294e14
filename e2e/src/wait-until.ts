import { setTimeout as sleep } from "node:timers/promises";

export interface WaitOptions {
  readonly timeoutMs?: number;
  readonly intervalMs?: number;
}

/**
 * Polls `probe` until it returns a value other than undefined, and returns that value.
 * On timeout the error names what was awaited and the last failure seen, so a slow machine and a
 * real fault are told apart from the message alone.
 */
export async function waitUntil<T>(
  description: string,
  probe: () => Promise<T | undefined>,
  options: WaitOptions = {},
): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 120_000;
  const deadline = Date.now() + timeoutMs;
  let lastProblem = "condition not met yet";
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastProblem = error instanceof Error ? error.message : String(error);
    }
    if (Date.now() >= deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${description}: ${lastProblem}`);
    }
    await sleep(options.intervalMs ?? 500);
  }
}
