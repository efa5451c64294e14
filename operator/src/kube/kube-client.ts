import http from 'node:http';
import https from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import { KubeApiError } from './kube-api-error.js';

/** Query parameters of a request; undefined values are left out. */
export type Query = Record<string, string | number | boolean | undefined>;

export interface RequestOptions {
  body?: unknown;
  contentType?: string;
  query?: Query;
}

/**
 * A small REST client for the Kubernetes API on top of @kubernetes/client-node's KubeConfig (which handles
 * kubeconfig files, in-cluster service accounts, client certificates and tokens). It speaks raw paths so that
 * one code path serves built-in kinds, custom resources and subresources (`/status`), and it keeps one
 * keep-alive agent for every request.
 */
export class KubeClient {
  readonly #kc: KubeConfig;
  readonly #server: URL;
  #agent: http.Agent | undefined;
  /** Requests sent, by HTTP method (for metrics and benchmarks). */
  readonly requestCount = new Map<string, number>();

  constructor(kc: KubeConfig) {
    this.#kc = kc;
    const cluster = kc.getCurrentCluster();
    if (!cluster) throw new Error('kubeconfig has no current cluster: set KUBECONFIG or run in a pod with a service account');
    this.#server = new URL(cluster.server);
  }

  get kubeConfig(): KubeConfig {
    return this.#kc;
  }

  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const url = new URL(this.#server.pathname.replace(/\/$/, '') + path, this.#server);
    for (const [k, v] of Object.entries(options.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    const auth: https.RequestOptions = { headers: {} };
    await this.#kc.applyToHTTPSOptions(auth);
    const agent = this.#agentFor(auth);
    const body = options.body === undefined ? undefined : JSON.stringify(options.body);
    const headers: http.OutgoingHttpHeaders = {
      ...(auth.headers as http.OutgoingHttpHeaders),
      accept: 'application/json',
    };
    if (body !== undefined) {
      headers['content-type'] = options.contentType ?? 'application/json';
      headers['content-length'] = Buffer.byteLength(body);
    }
    this.requestCount.set(method, (this.requestCount.get(method) ?? 0) + 1);
    const transport = url.protocol === 'https:' ? https : http;
    const { status, text } = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = transport.request(url, { method, headers, agent, auth: auth.auth, timeout: 30_000 }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      });
      req.on('timeout', () => req.destroy(new Error(`${method} ${path}: no answer from the API server within 30 s`)));
      req.on('error', (error) => reject(new Error(`${method} ${path}: ${error.message}`, { cause: error })));
      if (body !== undefined) req.write(body);
      req.end();
    });
    const parsed = text.length > 0 ? safeJson(text) : undefined;
    if (status >= 400) {
      const s = (parsed ?? {}) as { reason?: string; message?: string; details?: unknown };
      throw new KubeApiError(status, s.reason ?? `HTTP${status}`, `${method} ${path}: ${s.message ?? text.slice(0, 500)}`, s.details);
    }
    return parsed as T;
  }

  get<T>(path: string, query?: Query): Promise<T> {
    return this.request<T>('GET', path, query ? { query } : {});
  }

  /** GET returning undefined on 404. */
  async getOrUndefined<T>(path: string): Promise<T | undefined> {
    try {
      return await this.get<T>(path);
    } catch (error) {
      if (KubeApiError.isNotFound(error)) return undefined;
      throw error;
    }
  }

  /** Server-side apply of `object` at `path` (the object's own URL, or its /status) with force. */
  apply<T>(path: string, object: unknown, fieldManager: string): Promise<T> {
    return this.request<T>('PATCH', path, {
      body: object,
      contentType: 'application/apply-patch+yaml',
      query: { fieldManager, force: true },
    });
  }

  /** JSON merge patch (never creates: 404 when the object is gone). */
  mergePatch<T>(path: string, patch: unknown, fieldManager: string): Promise<T> {
    return this.request<T>('PATCH', path, { body: patch, contentType: 'application/merge-patch+json', query: { fieldManager } });
  }

  /** POST; `fieldValidation: 'Strict'` rejects unknown fields as kubectl does (the default only warns and drops them). */
  create<T>(path: string, object: unknown, fieldManager: string, fieldValidation?: 'Strict' | 'Warn' | 'Ignore'): Promise<T> {
    return this.request<T>('POST', path, { body: object, query: { fieldManager, fieldValidation } });
  }

  replace<T>(path: string, object: unknown, fieldManager: string): Promise<T> {
    return this.request<T>('PUT', path, { body: object, query: { fieldManager } });
  }

  /** DELETE; resolves quietly when already gone. */
  async delete(path: string, propagationPolicy: 'Background' | 'Foreground' | 'Orphan' = 'Background'): Promise<void> {
    try {
      await this.request('DELETE', path, { body: { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy } });
    } catch (error) {
      if (!KubeApiError.isNotFound(error)) throw error;
    }
  }

  /** Closes idle keep-alive sockets. */
  close(): void {
    this.#agent?.destroy();
  }

  #agentFor(tls: https.RequestOptions): http.Agent {
    if (!this.#agent) {
      this.#agent =
        this.#server.protocol === 'https:'
          ? new https.Agent({
              keepAlive: true,
              maxSockets: 64,
              ca: tls.ca,
              cert: tls.cert,
              key: tls.key,
              servername: tls.servername,
              ...(tls.rejectUnauthorized !== undefined ? { rejectUnauthorized: tls.rejectUnauthorized } : {}),
            })
          : new http.Agent({ keepAlive: true, maxSockets: 64 });
    }
    return this.#agent;
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return { message: text.slice(0, 500) };
  }
}
