import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { DEFAULT_PREFIX, RuntimeEnv } from '@taskyard/api';
import { TaskyardClient } from '@taskyard/client';
import type { ConsoleHandle, ConsoleOptions } from './console-options.js';
import type { ConsoleContext } from './data/console-context.js';
import { QueueRegistry } from './data/queue-registry.js';
import { queueViews } from './data/queue-views.js';
import { SdkTaskService } from './data/sdk-task-service.js';
import { TaskLister } from './data/task-lister.js';
import { readWorkers } from './data/worker-reader.js';
import { LiveUpdates } from './http/live-updates.js';
import { Router } from './http/router.js';
import { sendJson } from './http/send-json.js';
import { serveStatic } from './http/serve-static.js';
import { TokenSource } from './http/token-source.js';
import { loadKubeConnection } from './kube/kube-connection.js';
import { ScheduleReader } from './kube/schedule-reader.js';
import { createLogger, type LogLevel } from './log.js';
import { buildOpenApi } from './openapi/build-openapi.js';
import { queueRoutes } from './routes/queue-routes.js';
import { scheduleRoutes } from './routes/schedule-routes.js';
import { taskRoutes } from './routes/task-routes.js';

const packageJson = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
const staticRoots = [fileURLToPath(new URL('../../ui/static/', import.meta.url)), fileURLToPath(new URL('../ui/', import.meta.url))];

/** Hides the password of a Redis URL for logs and messages. */
function safeUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'the configured Redis URL';
  }
}

/**
 * Starts the console (HTTP API + dashboard + live updates) and resolves once it listens. Redis
 * being down at start is not fatal: the API answers 503 until the connection comes back.
 */
export async function startConsole(options: ConsoleOptions = {}): Promise<ConsoleHandle> {
  const env = process.env;
  const log = options.logger ?? createLogger(options.logLevel ?? ((env.TASKYARD_LOG_LEVEL as LogLevel | undefined) ?? 'info'));
  const prefix = options.prefix ?? env[RuntimeEnv.prefix] ?? DEFAULT_PREFIX;
  const redisUrl = options.redisUrl ?? env[RuntimeEnv.redisUrl] ?? env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const host = options.host ?? env.TASKYARD_CONSOLE_HOST ?? '127.0.0.1';
  const port = options.port ?? (env.TASKYARD_CONSOLE_PORT ? Number(env.TASKYARD_CONSOLE_PORT) : 5555);

  let generatedToken: string | undefined;
  const tokenValue = options.token ?? env.TASKYARD_CONSOLE_TOKEN;
  const tokenFile = options.tokenFile ?? env.TASKYARD_CONSOLE_TOKEN_FILE;
  let tokens: TokenSource;
  if (tokenValue) tokens = new TokenSource({ token: tokenValue });
  else if (tokenFile) tokens = new TokenSource({ file: tokenFile });
  else {
    generatedToken = randomBytes(24).toString('base64url');
    tokens = new TokenSource({ token: generatedToken });
  }

  let lastRedisError: string | undefined;
  const ownsRedis = !options.connection;
  const redis =
    options.connection ??
    new Redis(redisUrl, {
      // Fail fast while disconnected so requests get a 503 at once instead of hanging.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: 5_000,
      retryStrategy: (attempt) => Math.min(250 * attempt, 2_000),
    });
  redis.on('error', (err: Error) => {
    if (lastRedisError !== err.message) log.warn('redis connection problem', { redis: safeUrl(redisUrl), error: err.message });
    lastRedisError = err.message;
  });
  redis.on('ready', () => {
    if (lastRedisError) log.info('redis connection back', { redis: safeUrl(redisUrl) });
    lastRedisError = undefined;
  });
  const redisDown = (): string | undefined =>
    redis.status === 'ready' ? undefined : `cannot reach ${safeUrl(redisUrl)}: ${lastRedisError ?? `connection ${redis.status}`}`;

  const client = new TaskyardClient({ connection: redis, prefix, defaultQueue: options.defaultQueue ?? 'default' });
  const registry = new QueueRegistry(redis, prefix, options.queues ?? (env[RuntimeEnv.queues]?.split(',').map((q) => q.trim()).filter(Boolean) ?? []));
  const kube = options.kube === undefined ? loadKubeConnection(env) : (options.kube ?? undefined);
  const ctx: ConsoleContext = {
    redis,
    prefix,
    defaultQueue: options.defaultQueue ?? 'default',
    registry,
    lister: new TaskLister(redis, prefix, registry),
    tasks: new SdkTaskService(client, redis, prefix),
    schedules: new ScheduleReader(kube, options.namespace ?? env.TASKYARD_CONSOLE_NAMESPACE),
    log,
  };
  const routes = [...taskRoutes(ctx), ...queueRoutes(ctx), ...scheduleRoutes(ctx)];
  const router = new Router({
    routes,
    tokens,
    log,
    redisDown,
    bodyLimitBytes: options.bodyLimitBytes ?? 1024 * 1024,
    checkResponses: options.checkResponses ?? false,
  });
  const openapi = buildOpenApi(routes, { version: packageJson.version });
  const live = new LiveUpdates(
    async () => {
      const down = redisDown();
      if (down) throw new Error(down);
      const [names, workers] = await Promise.all([registry.names(), readWorkers(redis, prefix)]);
      return { at: Date.now(), queues: await queueViews(ctx, names, workers, 30), workers };
    },
    log,
    options.liveIntervalMs ?? 1_000,
  );
  const requestCounts = new Map<string, number>();

  const handler = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://console.local');
    res.on('finish', () => {
      const key = `${req.method ?? 'GET'} ${res.statusCode}`;
      requestCounts.set(key, (requestCounts.get(key) ?? 0) + 1);
    });
    const path = url.pathname;
    if (path === '/healthz') return sendJson(res, 200, { ok: true });
    if (path === '/readyz') {
      const down = redisDown();
      return sendJson(res, down ? 503 : 200, down ? { ok: false, reason: down } : { ok: true });
    }
    if (path === '/metrics') return sendMetrics(res, requestCounts, redisDown() === undefined, live.listeners);
    if (path === '/openapi.json') return sendJson(res, 200, openapi);
    if (path === '/api/events') {
      if (!tokens.accepts(req.headers.authorization)) {
        return sendJson(res, 401, { error: { code: 'unauthorized', message: 'missing or wrong bearer token' } }, { 'www-authenticate': 'Bearer realm="taskyard-console"' });
      }
      return live.attach(res);
    }
    if (path.startsWith('/api/')) return router.handle(req, res, url);
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendJson(res, 405, { error: { code: 'method_not_allowed', message: `${req.method} is not allowed on ${path}` } });
    const file = path === '/' ? 'index.html' : path.slice(1);
    if (await serveStatic(res, staticRoots, file)) return;
    sendJson(res, 404, { error: { code: 'not_found', message: `no page ${path}` } });
  };

  const server = createServer((req, res) => {
    handler(req, res).catch((err: unknown) => {
      log.error('unhandled request error', { url: req.url, error: (err as Error)?.stack ?? String(err) });
      if (!res.headersSent) sendJson(res, 500, { error: { code: 'internal', message: 'internal error' } });
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  // Give Redis a moment so the first requests after start don't get a 503; a Redis that is down
  // is not fatal (the API answers 503 until it is back).
  if (redis.status !== 'ready') {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, 3_000);
      function done(): void {
        clearTimeout(timer);
        redis.off('ready', done);
        resolve();
      }
      redis.once('ready', done);
    });
  }
  const address = server.address();
  const boundPort = typeof address === 'object' && address ? address.port : port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${boundPort}`;
  log.info('console listening', {
    url,
    redis: safeUrl(redisUrl),
    prefix,
    schedules: kube ? kube.origin : 'none (no cluster)',
    auth: generatedToken ? 'generated token (printed below)' : tokenValue ? 'token from TASKYARD_CONSOLE_TOKEN/options' : `token file ${tokenFile}`,
  });
  if (generatedToken) log.info('no token configured: generated one for this run', { token: generatedToken, open: `${url}/#token=${generatedToken}` });

  return {
    url,
    port: boundPort,
    get token() {
      return tokens.current();
    },
    async close() {
      live.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await registry.close();
      await ctx.tasks.close();
      if (ownsRedis) redis.disconnect();
    },
  };
}

function sendMetrics(res: ServerResponse, counts: Map<string, number>, redisUp: boolean, listeners: number): void {
  const lines = [
    '# HELP taskyard_console_http_requests_total HTTP requests answered, by method and status.',
    '# TYPE taskyard_console_http_requests_total counter',
    ...[...counts].map(([key, n]) => {
      const [method, status] = key.split(' ');
      return `taskyard_console_http_requests_total{method="${method}",status="${status}"} ${n}`;
    }),
    '# HELP taskyard_console_redis_up 1 when the console is connected to Redis.',
    '# TYPE taskyard_console_redis_up gauge',
    `taskyard_console_redis_up ${redisUp ? 1 : 0}`,
    '# HELP taskyard_console_live_clients Connected server-sent-event clients.',
    '# TYPE taskyard_console_live_clients gauge',
    `taskyard_console_live_clients ${listeners}`,
  ];
  const body = lines.join('\n') + '\n';
  res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}
