import { TaskErrorNames } from '@taskyard/api';
import type { JsonLogger } from './json-logger.js';
import type { PoolTicket, SandboxPool } from './sandbox-pool.js';

/** A run as the time limits see it. */
export interface LimitedRun {
  queue: string;
  name: string;
  ticket: PoolTicket | undefined;
  softExceeded: boolean;
}

/**
 * Arms the soft and hard time limits of one run: soft aborts ctx.signal (and, without a hard
 * limit, kills the sandbox `softGraceMs` later if the task ignored it); hard kills the sandbox.
 */
export function armTimeLimits(
  run: LimitedRun,
  limits: { soft?: number; hard?: number },
  pool: SandboxPool,
  logger: JsonLogger,
  softGraceMs: number,
): NodeJS.Timeout[] {
  const timers: NodeJS.Timeout[] = [];
  const { soft, hard } = limits;
  if (soft !== undefined) {
    timers.push(
      setTimeout(() => {
        run.softExceeded = true;
        if (run.ticket) pool.abort(run.ticket, { name: TaskErrorNames.softTimeLimit, message: `soft time limit (${soft} ms) exceeded` });
        if (hard === undefined) {
          timers.push(
            setTimeout(() => {
              if (run.ticket) void pool.kill(run.ticket, { name: TaskErrorNames.softTimeLimit, message: `soft time limit (${soft} ms) exceeded and the task ignored ctx.signal: sandbox killed` });
            }, softGraceMs),
          );
        }
      }, soft),
    );
  }
  if (hard !== undefined) {
    timers.push(
      setTimeout(() => {
        logger.warn('hard time limit exceeded: killing the sandbox', { task: run.name, queue: run.queue, hardMs: hard });
        if (run.ticket) void pool.kill(run.ticket, { name: TaskErrorNames.hardTimeLimit, message: `hard time limit (${hard} ms) exceeded: the sandbox running the task was killed` });
      }, hard),
    );
  }
  return timers;
}
