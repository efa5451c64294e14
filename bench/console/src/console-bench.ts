/**
 * Console benchmark (not a test). Same Redis, one run:
 *  1. enqueue throughput: POST /api/tasks over HTTP keep-alive to a console process vs
 *     `client.enqueue()` of the SDK directly, same window of calls in flight, plus single-call
 *     latency (window 1) of both;
 *  2. the dashboard's task list API with BENCH_CONSOLE_TASKS (default 100 000) tasks in one queue:
 *     first, middle, last and random pages (p50/p99 against a 200 ms budget), search, queue overview.
 * Writes bench/results/console.json.   Run: bench/console/run.sh
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Agent, request } from 'node:http';
import { TaskyardClient } from '@taskyard/client';
import { spawnConsole } from './spawn-console.js';
import { latencySummary } from './latency-summary.js';
import { processCpuMs } from './process-cpu-ms.js';
import { renderReadmeSection } from './render-readme-section.js';
import { runWindow } from './run-window.js';

const env = (name: string, fallback: number): number => {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name}=${raw} must be a positive integer (default ${fallback})`);
  return n;
};
const redisUrl = process.env.REDIS_URL;
if (!redisUrl) throw new Error('REDIS_URL is not set: run bench/console/run.sh (scripts/with-redis.sh starts a Redis)');
const ENQUEUES = env('BENCH_CONSOLE_ENQUEUES', 10_000);
const WINDOW = env('BENCH_CONSOLE_WINDOW', 32);
const SINGLE = env('BENCH_CONSOLE_SINGLE', 1_000);
const TASKS = env('BENCH_CONSOLE_TASKS', 100_000);
const PAGE_SIZE = env('BENCH_CONSOLE_PAGE_SIZE', 50);
const PAGE_SAMPLES = env('BENCH_CONSOLE_PAGE_SAMPLES', 200);
const BUDGET_MS = 200;
const TOKEN = 'bench-token';
const log = (msg: string, fields: Record<string, unknown> = {}): void => {
  process.stdout.write(JSON.stringify({ level: 'info', msg, ...fields }) + '\n');
};

const prefix = `bench-console-${Date.now().toString(36)}`;
// The console runs in its own process, as it does in production (and so the HTTP client here
// does not share its event loop).
const handle = await spawnConsole({ redisUrl, prefix, token: TOKEN });
const client = new TaskyardClient({ redisUrl, prefix });
const url = new URL(handle.url);
const agent = new Agent({ keepAlive: true, maxSockets: WINDOW });

/** One HTTP call on a keep-alive agent; resolves with status and body text. */
function http(method: string, path: string, body?: unknown): Promise<{ status: number; text: string }> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, method, path, agent, headers: {
      authorization: `Bearer ${TOKEN}`,
      ...(payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}),
    } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(payload);
  });
}
async function apiOk(method: string, path: string, body?: unknown): Promise<string> {
  const r = await http(method, path, body);
  if (r.status >= 300) throw new Error(`${method} ${path} answered ${r.status}: ${r.text.slice(0, 300)}`);
  return r.text;
}

// ---- 1. enqueue throughput: API vs SDK (interleaved warm-up, then one measured run each)
log('warm-up');
await runWindow(500, WINDOW, (i) => client.enqueue('bench.noop', [i], { queue: 'warm' }));
await runWindow(500, WINDOW, (i) => apiOk('POST', '/api/tasks', { name: 'bench.noop', args: [i], queue: 'warm' }));

log('enqueue through the SDK', { n: ENQUEUES, window: WINDOW });
const sdkCpu0 = process.cpuUsage();
const sdk = await runWindow(ENQUEUES, WINDOW, (i) => client.enqueue('bench.noop', [i, 'payload'], { queue: 'enqueue-sdk' }));
const sdkCpu = process.cpuUsage(sdkCpu0);
log('enqueue through the API', { n: ENQUEUES, window: WINDOW });
const consolePid = handle.process.pid as number;
const apiCpu0 = processCpuMs(consolePid);
const viaApi = await runWindow(ENQUEUES, WINDOW, (i) => apiOk('POST', '/api/tasks', { name: 'bench.noop', args: [i, 'payload'], queue: 'enqueue-api' }));
const apiCpuMs = processCpuMs(consolePid) - apiCpu0;
log('single-call latency', { n: SINGLE });
const sdkSingle = await runWindow(SINGLE, 1, (i) => client.enqueue('bench.noop', [i], { queue: 'enqueue-sdk-1' }));
const apiSingle = await runWindow(SINGLE, 1, (i) => apiOk('POST', '/api/tasks', { name: 'bench.noop', args: [i], queue: 'enqueue-api-1' }));
const counts = async (q: string): Promise<number> => (await client.queueCounts(q)).waiting;
if ((await counts('enqueue-sdk')) !== ENQUEUES || (await counts('enqueue-api')) !== ENQUEUES) {
  throw new Error('not every enqueued task is in its queue: the run is invalid');
}
const rate = (n: number, ms: number): number => Math.round((n / ms) * 1000);

// ---- 2. task list with TASKS tasks in one queue
log('filling a queue', { tasks: TASKS });
const FILL_CHUNK = 1000;
const filled = performance.now();
for (let i = 0; i < TASKS; i += FILL_CHUNK) {
  const n = Math.min(FILL_CHUNK, TASKS - i);
  await client.enqueueBulk(Array.from({ length: n }, (_, j) => ({ name: 'reports.render', args: [i + j, { customer: `c-${(i + j) % 997}` }], options: { queue: 'big' } })));
  if ((i / FILL_CHUNK) % 20 === 0) log('filling', { done: i + n, of: TASKS });
}
const fillMs = performance.now() - filled;
const pages = Math.ceil(TASKS / PAGE_SIZE);
const listPath = (page: number): string => `/api/tasks?queue=big&state=waiting&page=${page}&pageSize=${PAGE_SIZE}`;
const check = JSON.parse(await apiOk('GET', listPath(pages))) as { total: number; items: unknown[] };
if (check.total !== TASKS || check.items.length !== TASKS - (pages - 1) * PAGE_SIZE) throw new Error(`list check failed: total ${check.total}, last page ${check.items.length} items`);
for (let i = 0; i < 20; i++) await apiOk('GET', listPath(1 + (i % pages)));
const sample = async (path: (i: number) => string, n = PAGE_SAMPLES): Promise<ReturnType<typeof latencySummary>> =>
  latencySummary((await runWindow(n, 1, (i) => apiOk('GET', path(i)))).latencies);
log('timing pages');
const first = await sample(() => listPath(1));
const middle = await sample(() => listPath(Math.ceil(pages / 2)));
const last = await sample(() => listPath(pages));
let seed = 42;
const random = await sample(() => {
  seed = (seed * 1103515245 + 12345) % 2 ** 31;
  return listPath(1 + (seed % pages));
});
const search = await sample(() => `/api/tasks?queue=big&state=waiting&search=c-996&pageSize=${PAGE_SIZE}`, 50);
const queues = await sample(() => '/api/queues', 100);

const results = {
  benchmark: 'console',
  date: new Date().toISOString(),
  machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version },
  redis: 'one local redis-server (scripts/with-redis.sh), loopback',
  enqueue: {
    tasks: ENQUEUES,
    inFlight: WINDOW,
    sdk: {
      tasksPerSecond: rate(ENQUEUES, sdk.wallMs),
      latencyMs: latencySummary(sdk.latencies),
      cpuMicrosecondsPerTask: Math.round((sdkCpu.user + sdkCpu.system) / ENQUEUES),
    },
    api: {
      tasksPerSecond: rate(ENQUEUES, viaApi.wallMs),
      latencyMs: latencySummary(viaApi.latencies),
      consoleCpuMicrosecondsPerTask: Math.round((apiCpuMs * 1000) / ENQUEUES),
    },
    note: 'cpu: the SDK figure is the producing process; the API figure is the console process alone (its HTTP client is the bench process)',
    apiToSdkRatio: Math.round((rate(ENQUEUES, viaApi.wallMs) / rate(ENQUEUES, sdk.wallMs)) * 100) / 100,
    singleCall: { sdkMs: latencySummary(sdkSingle.latencies), apiMs: latencySummary(apiSingle.latencies) },
  },
  taskList: {
    tasksInQueue: TASKS,
    list: 'waiting',
    pageSize: PAGE_SIZE,
    pages,
    fillSeconds: Math.round(fillMs / 100) / 10,
    budgetMs: BUDGET_MS,
    firstPageMs: first,
    middlePageMs: middle,
    lastPageMs: last,
    randomPageMs: random,
    searchNewest5000Ms: search,
    queuesOverviewMs: queues,
    withinBudget: [first, middle, last, random].every((s) => s.p99 < BUDGET_MS),
  },
};
const out = fileURLToPath(new URL('../../results/console.json', import.meta.url));
mkdirSync(fileURLToPath(new URL('../../results/', import.meta.url)), { recursive: true });
writeFileSync(out, JSON.stringify(results, null, 2) + '\n');
renderReadmeSection(fileURLToPath(new URL('../../README.md', import.meta.url)), results);
log('wrote bench/results/console.json', { enqueue: results.enqueue, taskList: { random, last, withinBudget: results.taskList.withinBudget } });

agent.destroy();
await client.close();
await handle.stop();
