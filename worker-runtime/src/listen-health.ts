import type { Server } from 'node:http';
import type { Registry } from 'prom-client';
import { RuntimeEnv } from '@taskyard/api';
import { startHealthServer } from './health-server.js';

/** Binds the health/metrics server; a port in use fails with an error naming the flag and variable to change. */
export async function listenHealth(port: number, host: string | undefined, registry: Registry, isReady: () => boolean): Promise<Server> {
  try {
    return await startHealthServer(port, registry, isReady, host);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'EADDRINUSE') {
      throw new Error(
        `worker: HTTP port ${port} (/metrics, /healthz, /readyz) is already in use, by another worker on this machine? ` +
          `Give each worker its own port with --http-port N or ${RuntimeEnv.httpPort}=N (0 = any free port); no task was taken`,
      );
    }
    throw err;
  }
}
