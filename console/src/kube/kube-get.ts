import { request as httpsRequest } from 'node:https';
import { request as httpRequest } from 'node:http';
import type { KubeConnection } from './kube-connection.js';

/** An answer from the API server other than 2xx. */
export class KubeStatusError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
    this.name = 'KubeStatusError';
  }
}

/** GETs a path from the API server and parses the JSON answer. */
export function kubeGet(conn: KubeConnection, path: string, timeoutMs = 5_000): Promise<unknown> {
  const url = new URL(path, conn.server);
  const headers: Record<string, string> = { accept: 'application/json' };
  const token = conn.token?.();
  if (token) headers.authorization = `Bearer ${token}`;
  return new Promise((resolve, reject) => {
    const options = {
      method: 'GET',
      headers,
      timeout: timeoutMs,
      ...(url.protocol === 'https:'
        ? { ca: conn.ca, cert: conn.cert, key: conn.key, rejectUnauthorized: !conn.insecureSkipTlsVerify }
        : {}),
    };
    const req = (url.protocol === 'https:' ? httpsRequest : httpRequest)(url, options, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const status = res.statusCode ?? 0;
        if (status < 200 || status >= 300) {
          let message = text.slice(0, 300);
          try {
            message = (JSON.parse(text) as { message?: string }).message ?? message;
          } catch {
            // not JSON: keep the raw text
          }
          reject(new KubeStatusError(status, `GET ${url.pathname} answered ${status}: ${message}`));
          return;
        }
        try {
          resolve(JSON.parse(text) as unknown);
        } catch (err) {
          reject(new Error(`GET ${url.pathname}: answer is not JSON: ${(err as Error).message}`));
        }
      });
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${url.pathname} timed out after ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end();
  });
}
