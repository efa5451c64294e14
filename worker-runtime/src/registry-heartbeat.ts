import { removeWorker, writeWorkerHeartbeat, type WorkerInfo } from '@taskyard/api/wire';
import type { WorkerContext } from './worker-context.js';

export interface RegistryHeartbeatContext extends Pick<WorkerContext, 'conn' | 'keys' | 'namespace' | 'id'> {
  /** The worker's entry now (heartbeatAt is set here). */
  info(): Omit<WorkerInfo, 'heartbeatAt'>;
}

/** Keeps this worker's entry in its namespace's registry (wire/worker-registry.ts). */
export class RegistryHeartbeat {
  constructor(private readonly ctx: RegistryHeartbeatContext) {}

  async beat(now = Date.now()): Promise<void> {
    await writeWorkerHeartbeat(this.ctx.conn, this.ctx.keys, { ...this.ctx.info(), heartbeatAt: now });
  }

  async remove(): Promise<void> {
    await removeWorker(this.ctx.conn, this.ctx.keys, this.ctx.namespace, this.ctx.id);
  }
}
