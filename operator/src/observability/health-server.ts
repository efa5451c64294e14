import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

/** What /readyz reports on. */
export type ReadinessCheck = () => { ready: boolean; detail: string };

/** Serves /metrics (Prometheus text), /healthz (alive) and /readyz (caches synced or standing by). */
export class HealthServer {
  readonly #server: http.Server;

  constructor(registry: Registry, readiness: ReadinessCheck) {
    this.#server = http.createServer((req, res) => {
      const path = (req.url ?? '/').split('?')[0];
      if (path === '/healthz') {
        res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
      } else if (path === '/readyz') {
        const { ready, detail } = readiness();
        res.writeHead(ready ? 200 : 503, { 'content-type': 'text/plain' }).end(`${detail}\n`);
      } else if (path === '/metrics') {
        registry
          .metrics()
          .then((text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text))
          .catch((error: unknown) => res.writeHead(500).end(String(error)));
      } else {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: try /metrics, /healthz or /readyz\n');
      }
    });
  }

  /** Listens; resolves with the port (useful when 0 was asked). */
  async listen(port: number, host = '0.0.0.0'): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(port, host, () => resolve());
    });
    return (this.#server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}
