import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import { DEFAULT_PREFIX, parseLogLevel, RuntimeEnv } from '@taskyard/api';
import { connectRedis, DEFAULT_NAMESPACE, maskRedisUrl, parseQueueRef, taskyardKeys, type QueueRef } from '@taskyard/api/wire';
import { consoleLogger } from './console-logger.js';
import type { ConsoleHandle, ConsoleOptions } from './console-options.js';
import type { ConsoleContext } from './data/console-context.js';
import { knownNamespaces } from './data/known-namespaces.js';
import { NamespaceClients } from './data/namespace-clients.js';
import { QueueRegistry } from './data/queue-registry.js';
import { queueViews } from './data/queue-views.js';
import { RedisHealth } from './data/redis-health.js';
import { SdkTaskService } from './data/sdk-task-service.js';
import { TaskLister } from './data/task-lister.js';
import { readWorkers } from './data/worker-reader.js';
import { ConsoleMetrics } from './http/console-metrics.js';
import { LiveUpdates } from './http/live-updates.js';
import { Router } from './http/router.js';
import { sendJson } from './http/send-json.js';
import { serveStatic } from './http/serve-static.js';
import { TokenSource } from './http/token-source.js';
import { loadKubeConnection } from './kube/kube-connection.js';
import { ScheduleReader } from './kube/schedule-reader.js';
import { buildOpenApi } from './openapi/build-openapi.js';
import { queueRoutes } from './routes/queue-routes.js';
import { scheduleRoutes } from './routes/schedule-routes.js';
import { taskRoutes } from './routes/task-routes.js';

const packageJson = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
const staticRoots = [fileURLToPath(new URL('../../ui/static/', import.meta.url)), fileURLToPath(new URL('../ui/', import.meta.url))];

/**
 * Starts the console (HTTP API + dashboard + live updates) and resolves once it listens. It shows the
 * queues of every namespace. Redis being down at start is not fatal: the API answers 503 until the
 * connection comes back.
 */
export async function startConsole(options: ConsoleOptions = {}): Promise<ConsoleHandle> {
  const env = process.env;
  const log = options.logger ?? consoleLogger(options.logLevel ?? parseLogLevel(env[RuntimeEnv.logLevel], RuntimeEnv.logLevel));
  const prefix = options.prefix ?? env[RuntimeEnv.prefix] ?? DEFAULT_PREFIX;
  const redisUrl = options.redisUrl ?? env[RuntimeEnv.redisUrl] ?? env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const host = options.host ?? env.TASKYARD_CONSOLE_HOST ?? '127.0.0.1';
  const port = options.port ?? (env.TASKYARD_CONSOLE_PORT ? Number(env.TASKYARD_CONSOLE_PORT) : 5555);
  const defaultNamespace = options.defaultNamespace ?? (env[RuntimeEnv.namespace] || DEFAULT_NAMESPACE);
  const defaultQueue = options.defaultQueue ?? 'default';
  const pinnedText = options.queues ?? (env[RuntimeEnv.queues]?.split(',').map((q) => q.trim()).filter(Boolean) ?? []);
  const pinned = pinnedText.map((text): QueueRef => {
    const ref = parseQueueRef(text, defaultNamespace);
    if (!ref) throw new Error(`queues: ${JSON.stringify(text)} is not a queue; write ns/q or q (in TASKYARD_QUEUES or the queues option)`);
    return ref;
  });

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

  const ownsRedis = !options.connection;
  // Role client: fails fast while disconnected, so requests get a 503 at once instead of hanging.
  const redis =
    options.connection ??
    connectRedis(redisUrl, { role: 'client', connectionName: 'taskyard-console', redisOptions: { retryStrategy: (attempt: number) => Math.min(250 * attempt, 2_000) } });
  const health = new RedisHealth(redis, redisUrl, log);
  const redisDown = (): string | undefined => health.down();

  const keys = taskyardKeys(prefix);
  const registry = new QueueRegistry(redis, keys, pinned);
  const kube = options.kube === undefined ? loadKubeConnection(env) : (options.kube ?? undefined);
  const ctx: ConsoleContext = {
    redis,
    prefix,
    keys,
    defaultNamespace,
    defaultQueue,
    registry,
    lister: new TaskLister(redis, prefix, registry),
    tasks: new SdkTaskService(new NamespaceClients(redis, prefix), redis, keys),
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
      const [refs, workers] = await Promise.all([registry.refs(), knownNamespaces(ctx).then((ns) => readWorkers(redis, prefix, ns))]);
      return { at: Date.now(), queues: await queueViews(ctx, refs, workers, 30), workers };
    },
    log,
    options.liveIntervalMs ?? 1_000,
  );
  const metrics = new ConsoleMetrics({ redisUp: () => redisDown() === undefined, liveClients: () => live.listeners });

  const handler = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://console.local');
    res.on('finish', () => metrics.requests.inc({ method: req.method ?? 'GET', status: String(res.statusCode) }));
    const path = url.pathname;
    if (path === '/healthz') return sendJson(res, 200, { ok: true });
    if (path === '/readyz') {
      const down = redisDown();
      return sendJson(res, down ? 503 : 200, down ? { ok: false, reason: down } : { ok: true });
    }
    if (path === '/metrics') {
      const { body, contentType } = await metrics.render();
      res.writeHead(200, { 'content-type': contentType, 'content-length': Buffer.byteLength(body) });
      res.end(body);
      return;
    }
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
      log.error('unhandled request error', { url: req.url, error: err });
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
  await health.settle(3_000);
  const address = server.address();
  const boundPort = typeof address === 'object' && address ? address.port : port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${boundPort}`;
  log.info('console listening', {
    url,
    redis: maskRedisUrl(redisUrl),
    prefix,
    defaultNamespace,
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
