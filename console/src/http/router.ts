import type { IncomingMessage, ServerResponse } from 'node:http';
import type { z } from 'zod';
import { HttpError } from './http-error.js';
import { isRedisUnavailable } from './is-redis-unavailable.js';
import { readJsonBody } from './read-body.js';
import type { Route } from './route.js';
import { sendJson } from './send-json.js';
import type { TokenSource } from './token-source.js';
import { zodProblems } from './zod-problems.js';
import type { Logger } from '@taskyard/api';

export interface RouterOptions {
  routes: Route[];
  tokens: TokenSource;
  log: Logger;
  /** Why Redis is unreachable right now, or undefined when it is connected. */
  redisDown(): string | undefined;
  /** Largest accepted request body in bytes. */
  bodyLimitBytes: number;
  /** Validate every response against its schema (tests turn this on; a mismatch is logged and is a 500). */
  checkResponses: boolean;
}

interface CompiledRoute {
  route: Route;
  pattern: RegExp;
  names: string[];
}

/** Matches `/api/...` requests to routes, authenticates, validates input and writes JSON answers. */
export class Router {
  private readonly compiled: CompiledRoute[];

  constructor(private readonly options: RouterOptions) {
    this.compiled = options.routes.map((route) => {
      const names: string[] = [];
      const source = route.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{(\w+)\\?\}|\{(\w+)\}/g, (_m, a: string | undefined, b: string | undefined) => {
        names.push((a ?? b) as string);
        return '([^/]+)';
      });
      return { route, pattern: new RegExp(`^${source}$`), names };
    });
  }

  /** True when some route has this path (any method). */
  knows(pathname: string): boolean {
    return this.compiled.some((c) => c.pattern.test(pathname));
  }

  async handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const started = performance.now();
    let status = 500;
    try {
      const hit = this.find(req.method ?? 'GET', url.pathname);
      if (!this.options.tokens.accepts(req.headers.authorization)) {
        throw new HttpError(401, 'unauthorized', 'missing or wrong bearer token: send "Authorization: Bearer <token>" with the console token (TASKYARD_CONSOLE_TOKEN or the file in TASKYARD_CONSOLE_TOKEN_FILE)');
      }
      const { route, params } = hit;
      const down = route.needsRedis === false ? undefined : this.options.redisDown();
      if (down) throw redisUnavailable(down);
      const input = {
        params: parse('params', route.params, params),
        query: parse('query', route.query, Object.fromEntries(url.searchParams)),
        body: parse('body', route.body, route.body ? await readJsonBody(req, this.options.bodyLimitBytes) : undefined),
        signal: abortOnClose(req, res),
      };
      const output = await route.handle(input);
      if (this.options.checkResponses) {
        const checked = route.response.schema.safeParse(output);
        if (!checked.success) {
          this.options.log.error('response does not match its schema', { route: route.operationId, issues: checked.error.issues });
          throw new Error(`response of ${route.operationId} does not match its schema: ${checked.error.message}`);
        }
      }
      status = route.response.status;
      sendJson(res, status, output);
    } catch (err) {
      status = this.sendError(res, err, req);
    } finally {
      this.options.log.debug('request', { method: req.method, path: url.pathname, status, ms: Math.round(performance.now() - started) });
    }
  }

  private find(method: string, pathname: string): { route: Route; params: Record<string, string> } {
    let pathKnown = false;
    for (const c of this.compiled) {
      const m = c.pattern.exec(pathname);
      if (!m) continue;
      pathKnown = true;
      if (c.route.method !== method) continue;
      const params: Record<string, string> = {};
      c.names.forEach((name, i) => {
        try {
          params[name] = decodeURIComponent(m[i + 1] ?? '');
        } catch {
          throw new HttpError(400, 'invalid_path', `path parameter ${name} is not valid percent-encoding`, [{ field: `params.${name}`, message: 'bad percent-encoding' }]);
        }
      });
      return { route: c.route, params };
    }
    if (pathKnown) throw new HttpError(405, 'method_not_allowed', `${method} is not allowed on ${pathname}`);
    throw new HttpError(404, 'not_found', `no endpoint ${method} ${pathname}; see /openapi.json for the list`);
  }

  private sendError(res: ServerResponse, err: unknown, req: IncomingMessage): number {
    let error: HttpError;
    if (err instanceof HttpError) error = err;
    else if (isRedisUnavailable(err)) error = redisUnavailable((err as Error).message);
    else {
      this.options.log.error('request failed', { method: req.method, url: req.url, error: err });
      error = new HttpError(500, 'internal', `internal error: ${(err as Error)?.message ?? String(err)}`);
    }
    if (res.headersSent) {
      res.destroy();
      return error.status;
    }
    const headers: Record<string, string> = {};
    if (error.status === 401) headers['www-authenticate'] = 'Bearer realm="taskyard-console"';
    if (error.status === 503) headers['retry-after'] = '5';
    sendJson(res, error.status, { error: { code: error.code, message: error.message, ...(error.fields ? { fields: error.fields } : {}) } }, headers);
    return error.status;
  }
}

function redisUnavailable(reason: string): HttpError {
  return new HttpError(503, 'redis_unavailable', `Redis is unavailable (${reason}); the console reconnects by itself — check that Redis is running and REDIS_URL points at it`);
}

function parse(where: 'params' | 'query' | 'body', schema: z.ZodType | undefined, value: unknown): unknown {
  if (!schema) return value;
  // An empty body counts as `{}` for endpoints whose body fields are all optional.
  const result = schema.safeParse(where === 'body' && value === undefined ? {} : value);
  if (result.success) return result.data;
  const fields = zodProblems(where, result.error);
  const first = fields[0];
  const message = where === 'body' && value === undefined
    ? 'request body is required (JSON)'
    : `invalid ${first?.field ?? where}: ${first?.message ?? 'invalid'}`;
  throw new HttpError(400, 'invalid_request', message, fields);
}

function abortOnClose(req: IncomingMessage, res: ServerResponse): AbortSignal {
  const controller = new AbortController();
  res.on('close', () => {
    if (!res.writableFinished) controller.abort();
  });
  void req;
  return controller.signal;
}
