import { TaskErrorNames } from '@taskyard/api';
import { loadRevoked, parseRevokeMessage } from '@taskyard/api/wire';
import type { PoolTicket, SandboxPool } from './sandbox-pool.js';
import type { WorkerContext } from './worker-context.js';

/** A task running (or prefetched) here, as the revoke listener sees it. */
export interface RevocableRun {
  queue: string;
  name: string;
  ticket: PoolTicket | undefined;
  /** Set when a revoke aborted the run (its failure is then reported as TaskRevoked). */
  revoking: boolean;
}

export interface RevokeListenerContext extends Pick<WorkerContext, 'conn' | 'keys' | 'namespace' | 'logger'> {
  activeRun(id: string): RevocableRun | undefined;
  pool(): SandboxPool | undefined;
  /** ms between ctx.signal abort and killing the sandbox on a revoke with terminate. */
  readonly revokeGraceMs: number;
}

/**
 * Revokes of the worker's namespace (wire/revoke.ts): the revoked ids (loaded at start, after a
 * reconnect and at each resync) and the messages of the revoke channel, which discard a prefetched
 * task or, with terminate, abort a running one (then kill its sandbox after the grace period).
 */
export class RevokeListener {
  private readonly revoked = new Set<string>();

  constructor(private readonly ctx: RevokeListenerContext) {}

  /** The channel to subscribe to. */
  get channel(): string {
    return this.ctx.keys.revokeChannel(this.ctx.namespace);
  }

  has(id: string): boolean {
    return this.revoked.has(id);
  }

  async reload(): Promise<void> {
    for (const id of await loadRevoked(this.ctx.conn, this.ctx.keys, this.ctx.namespace)) this.revoked.add(id);
  }

  onMessage(raw: string): void {
    const message = parseRevokeMessage(raw);
    if (!message) return;
    const { id } = message;
    this.revoked.add(id);
    const run = this.ctx.activeRun(id);
    const ticket = run?.ticket;
    const pool = this.ctx.pool();
    if (!run || !ticket || !pool) return;
    if (ticket.sandbox === undefined) {
      // taken from the queue (prefetched) but not started: discard it
      run.revoking = true;
      pool.abort(ticket, { name: TaskErrorNames.revoked, message: `task ${id} was revoked before it started` });
      return;
    }
    if (!message.terminate) return;
    run.revoking = true;
    this.ctx.logger.info('revoke with terminate: aborting running task', { taskId: id, task: run.name, queue: run.queue });
    const reason = { name: TaskErrorNames.revoked, message: `task ${id} was revoked with terminate` };
    pool.abort(ticket, reason);
    setTimeout(() => {
      if (this.ctx.activeRun(id) === run) void pool.kill(ticket, reason);
    }, this.ctx.revokeGraceMs);
  }
}
