import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { KubeConfig, Watch } from '@kubernetes/client-node';
import { Queue } from 'bullmq';
import { parseAllDocuments } from 'yaml';
import { KubeClient } from '@taskyard/operator';
import { percentile } from './percentile.js';
import { kedaReactionMs } from './keda-baseline.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const REDIS_URL = process.env.REDIS_URL ?? '';
if (!REDIS_URL || !process.env.KUBECONFIG) throw new Error('run through bench/operator/run.sh (needs KUBECONFIG and REDIS_URL)');
const POOLS = Number(process.env.BENCH_OPERATOR_POOLS ?? 200);
const SEQUENTIAL = Number(process.env.BENCH_OPERATOR_SEQUENTIAL ?? 20);
const BURSTS = Number(process.env.BENCH_OPERATOR_BURSTS ?? 10);
const POLL_SECONDS = Number(process.env.BENCH_OPERATOR_POLL_SECONDS ?? 5);
/** Port of the operator's /metrics during the run (loopback). */
const HTTP_PORT = Number(process.env.BENCH_OPERATOR_HTTP_PORT ?? 18199);
/** Phases to run: apply, reaction, memory (default all). */
const PHASES = new Set((process.env.BENCH_OPERATOR_PHASES ?? 'apply,reaction,memory').split(','));
/** Node flags of the operator process; the default equals the bin's shebang, see operator/README.md. */
const NODE_FLAGS = (process.env.BENCH_OPERATOR_NODE_FLAGS ?? '--max-semi-space-size=2 --optimize-for-size').split(' ').filter(Boolean);
const log = (msg: string, fields: Record<string, unknown> = {}) => process.stderr.write(`${JSON.stringify({ level: 'info', msg, component: 'operator-bench', ...fields })}\n`);

const kc = new KubeConfig();
kc.loadFromDefault();
const client = new KubeClient(kc);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(what: string, probe: () => Promise<boolean> | boolean, timeoutMs = 300_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

async function installCrds(): Promise<void> {
  for (const file of readdirSync(path.join(ROOT, 'crds')).filter((f) => f.endsWith('.yaml'))) {
    for (const doc of parseAllDocuments(readFileSync(path.join(ROOT, 'crds', file), 'utf8'))) {
      const crd = doc.toJSON() as { metadata: { name: string } };
      await client.apply(`/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${crd.metadata.name}`, crd, 'taskyard-bench');
    }
  }
  await sleep(2000);
}

/** A namespace, an operator watching it, and a watch on its Deployments recording when each name first appears. */
class World {
  readonly namespace = `bench-op-${randomBytes(3).toString('hex')}`;
  readonly prefix = `bop${randomBytes(2).toString('hex')}`;
  readonly seen = new Map<string, number>();
  readonly replicas = new Map<string, number>();
  readonly replicaListeners: ((name: string, replicas: number, at: number) => void)[] = [];
  operator: ChildProcess | undefined;
  #abort: AbortController | undefined;

  async start(): Promise<void> {
    await client.create('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: this.namespace } }, 'taskyard-bench');
    this.#abort = await new Watch(kc).watch(
      `/apis/apps/v1/namespaces/${this.namespace}/deployments`,
      {},
      (phase: string, obj: { metadata: { name: string }; spec: { replicas: number } }) => {
        const at = performance.now();
        if (phase === 'ADDED' && !this.seen.has(obj.metadata.name)) this.seen.set(obj.metadata.name, at);
        if (phase === 'ADDED' || phase === 'MODIFIED') {
          if (this.replicas.get(obj.metadata.name) !== obj.spec.replicas) for (const l of this.replicaListeners) l(obj.metadata.name, obj.spec.replicas, at);
          this.replicas.set(obj.metadata.name, obj.spec.replicas);
        }
      },
      () => undefined,
    );
    this.operator = spawn(process.execPath, [...NODE_FLAGS, path.join(ROOT, 'operator/dist/src/bin/taskyard-operator.js'),
      '--namespace', this.namespace, '--lease-namespace', this.namespace, '--http-port', String(HTTP_PORT), '--redis-url', REDIS_URL, '--prefix', this.prefix, '--log-level', 'warn'], { stdio: ['ignore', 'ignore', 'inherit'] });
    await waitFor('operator lease', async () => (await client.getOrUndefined(`/apis/coordination.k8s.io/v1/namespaces/${this.namespace}/leases/taskyard-operator`)) !== undefined, 30_000);
    await sleep(1000);
    await this.create({ apiVersion: 'taskyard.dev/v1alpha1', kind: 'TaskQueue', metadata: { name: 'q' }, spec: {} }, 'taskqueues');
  }

  async create(obj: { metadata: { name: string } } & Record<string, unknown>, plural: string): Promise<number> {
    const start = performance.now();
    await client.create(`/apis/taskyard.dev/v1alpha1/namespaces/${this.namespace}/${plural}`, { ...obj, metadata: { ...obj.metadata, namespace: this.namespace } }, 'taskyard-bench');
    return start;
  }

  /** Resident memory of the operator process, MiB (Linux /proc). */
  rssMiB(): number {
    const status = readFileSync(`/proc/${this.operator?.pid}/status`, 'utf8');
    const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    return kb / 1024;
  }

  async stop(): Promise<void> {
    this.#abort?.abort();
    this.operator?.kill('SIGTERM');
    await new Promise((r) => this.operator?.once('exit', r));
    await client.delete(`/api/v1/namespaces/${this.namespace}`);
  }
}

const pool = (name: string, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'taskyard.dev/v1alpha1',
  kind: 'WorkerPool',
  metadata: { name },
  spec: { queues: ['q'], replicas: 0, bundle: { configMap: { name: 'b', key: 'b.mjs' } }, ...extra },
});

/** The bucket upper bound (s) of a Prometheus histogram holding quantile q, from the operator's /metrics. */
async function histogramQuantile(name: string, labels: string, q: number): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${HTTP_PORT}/metrics`)).text();
  const buckets = [...text.matchAll(new RegExp(`^${name}_bucket\\{([^}]*)\\} (\\S+)$`, 'gm'))]
    .filter((m) => (m[1] ?? '').includes(labels))
    .map((m) => ({ le: Number(/le="([^"]+)"/.exec(m[1] ?? '')?.[1] === '+Inf' ? Infinity : /le="([^"]+)"/.exec(m[1] ?? '')?.[1]), count: Number(m[2]) }))
    .sort((a, b) => a.le - b.le);
  const total = buckets[buckets.length - 1]?.count ?? 0;
  return buckets.find((b) => b.count >= q * total)?.le ?? NaN;
}

async function applyLatency(): Promise<Record<string, unknown>> {
  const w = new World();
  await w.start();
  try {
    // 1 pool at a time, SEQUENTIAL times: apply → Deployment seen by a watch.
    const single: number[] = [];
    for (let i = 0; i < SEQUENTIAL; i++) {
      const name = `single-${i}`;
      const t0 = await w.create(pool(name), 'workerpools');
      await waitFor(name, () => w.seen.has(name), 60_000);
      single.push((w.seen.get(name) as number) - t0);
    }
    log('single applies done', { p50: percentile(single, 50) });
    // POOLS pools applied at once (16 requests in flight).
    const burstStart = performance.now();
    const burst = new Map<string, number>();
    const names = Array.from({ length: POOLS }, (_, i) => `burst-${i}`);
    let next = 0;
    await Promise.all(Array.from({ length: 16 }, async () => {
      while (next < names.length) {
        const name = names[next++] as string;
        burst.set(name, await w.create(pool(name), 'workerpools'));
      }
    }));
    const createdAllMs = performance.now() - burstStart;
    await waitFor(`${POOLS} Deployments`, () => names.every((n) => w.seen.has(n)));
    const childrenAllMs = Math.max(...names.map((n) => w.seen.get(n) as number)) - burstStart;
    const burstLatency = names.map((n) => (w.seen.get(n) as number) - (burst.get(n) as number));
    log('burst applies done', { p99: percentile(burstLatency, 99) });
    // Measure the steady state: wait until the operator's work queues stay empty (statuses settled).
    let quietSince = 0;
    await waitFor('operator idle', async () => {
      const text = await (await fetch(`http://127.0.0.1:${HTTP_PORT}/metrics`)).text();
      const depth = [...text.matchAll(/^taskyard_operator_workqueue_depth\{[^}]*\} (\S+)$/gm)].reduce((sum, m) => sum + Number(m[1]), 0);
      if (depth > 0) quietSince = 0;
      else if (quietSince === 0) quietSince = Date.now();
      return quietSince > 0 && Date.now() - quietSince > 3000;
    });
    // With POOLS pools in place: SEQUENTIAL more, one at a time.
    const loaded: number[] = [];
    for (let i = 0; i < SEQUENTIAL; i++) {
      const name = `loaded-${i}`;
      const t0 = await w.create(pool(name), 'workerpools');
      await waitFor(name, () => w.seen.has(name), 60_000);
      loaded.push((w.seen.get(name) as number) - t0);
    }
    const round = (x: number) => Math.round(x * 10) / 10;
    const reconcileP99 = await histogramQuantile('taskyard_operator_reconcile_duration_seconds', 'kind="WorkerPool"', 0.99);
    const reconcileP50 = await histogramQuantile('taskyard_operator_reconcile_duration_seconds', 'kind="WorkerPool"', 0.5);
    return {
      workerpool_reconcile_duration_upper_bound: { note: 'from the operator histogram over the whole phase: the bucket bound holding the quantile', p50_s: reconcileP50, p99_s: reconcileP99 },
      one_pool: { samples: single.length, p50_ms: round(percentile(single, 50)), p99_ms: round(percentile(single, 99)) },
      [`burst_of_${POOLS}`]: { creates_submitted_ms: round(createdAllMs), all_deployments_ms: round(childrenAllMs), samples: burstLatency.length, p50_ms: round(percentile(burstLatency, 50)), p99_ms: round(percentile(burstLatency, 99)), max_ms: round(Math.max(...burstLatency)) },
      [`one_more_with_${POOLS}_present`]: { samples: loaded.length, p50_ms: round(percentile(loaded, 50)), p99_ms: round(percentile(loaded, 99)) },
    };
  } finally {
    await w.stop();
  }
}

async function autoscaleReaction(): Promise<Record<string, unknown>> {
  const w = new World();
  await w.start();
  const queue = new Queue('q', { connection: { url: REDIS_URL }, prefix: w.prefix });
  try {
    const name = 'scaled';
    await w.create(pool(name, { replicas: undefined, autoscaling: { minReplicas: 0, maxReplicas: 10, targetBacklogPerReplica: 10, pollSeconds: POLL_SECONDS, scaleDownDelaySeconds: 0, idleSecondsBeforeZero: 0 } }), 'workerpools');
    await waitFor('pool at 0', () => w.replicas.get(name) === 0, 60_000);
    const reactions: number[] = [];
    const keda: { activation: number; scaleOut: number }[] = [];
    for (let i = 0; i < BURSTS; i++) {
      // A random moment relative to the poll, as real bursts come.
      await sleep(Math.random() * POLL_SECONDS * 1000);
      let patchedAt: number | undefined;
      const listener = (n: string, r: number, at: number) => {
        if (n === name && r > 0 && patchedAt === undefined) patchedAt = at;
      };
      w.replicaListeners.push(listener);
      const t0 = performance.now();
      await queue.addBulk(Array.from({ length: 50 }, (_, j) => ({ name: 'burst', data: { i, j } })));
      await waitFor('replicas patched', () => patchedAt !== undefined, 60_000);
      reactions.push((patchedAt as number) - t0);
      keda.push(kedaReactionMs(Math.random() * 30_000, Math.random() * 15_000));
      w.replicaListeners.splice(w.replicaListeners.indexOf(listener), 1);
      await queue.drain();
      await waitFor('back to 0', () => w.replicas.get(name) === 0, 60_000);
    }
    const round = (x: number) => Math.round(x);
    const act = keda.map((k) => k.activation);
    const out = keda.map((k) => k.scaleOut);
    return {
      poll_seconds: POLL_SECONDS,
      bursts: BURSTS,
      taskyard: { p50_ms: round(percentile(reactions, 50)), p99_ms: round(percentile(reactions, 99)), max_ms: round(Math.max(...reactions)) },
      keda_defaults_model: {
        note: 'modelled, not run: KEDA pollingInterval 30 s activates 0->1, HPA sync 15 s scales further; same random burst phases',
        activation_p50_ms: round(percentile(act, 50)),
        activation_p99_ms: round(percentile(act, 99)),
        scale_out_p50_ms: round(percentile(out, 50)),
        scale_out_p99_ms: round(percentile(out, 99)),
      },
    };
  } finally {
    await queue.close();
    await w.stop();
  }
}

async function memory(): Promise<Record<string, unknown>> {
  const w = new World();
  await w.start();
  try {
    const baseline = w.rssMiB();
    const objects: [Record<string, unknown> & { metadata: { name: string } }, string][] = [];
    for (let i = 0; i < 99; i++) objects.push([{ apiVersion: 'taskyard.dev/v1alpha1', kind: 'TaskQueue', metadata: { name: `queue-${i}` }, spec: {} }, 'taskqueues']);
    for (let i = 0; i < 200; i++) objects.push([pool(`pool-${i}`, { queues: [`queue-${i % 99}`], replicas: undefined, autoscaling: { minReplicas: 0, maxReplicas: 5 } }), 'workerpools']);
    for (let i = 0; i < 200; i++) objects.push([{ apiVersion: 'taskyard.dev/v1alpha1', kind: 'Schedule', metadata: { name: `sched-${i}` }, spec: { queue: `queue-${i % 99}`, task: 't', cron: `${i % 60} * * * *` } }, 'schedules']);
    let next = 0;
    await Promise.all(Array.from({ length: 16 }, async () => {
      while (next < objects.length) {
        const [obj, plural] = objects[next++] as [Record<string, unknown> & { metadata: { name: string } }, string];
        await w.create(obj, plural);
      }
    }));
    await waitFor('200 Deployments', () => [...w.seen.keys()].filter((n) => n.startsWith('pool-')).length === 200);
    // Let autoscaling polls and status refreshes run for a while, sampling RSS.
    const samples: number[] = [];
    for (let i = 0; i < 30; i++) {
      samples.push(w.rssMiB());
      await sleep(1000);
    }
    const metrics = await (await fetch(`http://127.0.0.1:${HTTP_PORT}/metrics`)).text();
    const metric = (name: string) => Number(new RegExp(`^${name} (\\S+)`, 'm').exec(metrics)?.[1] ?? NaN) / 2 ** 20;
    return { heap_used_mib: Math.round(metric('taskyard_operator_nodejs_heap_size_used_bytes')), heap_total_mib: Math.round(metric('taskyard_operator_nodejs_heap_size_total_bytes')), external_mib: Math.round(metric('taskyard_operator_nodejs_external_memory_bytes')), resources: 500, breakdown: { TaskQueue: 100, WorkerPool: 200, Schedule: 200 }, idle_rss_mib: Math.round(baseline), steady_rss_mib_max: Math.round(Math.max(...samples)), steady_rss_mib_p50: Math.round(percentile(samples, 50)) };
  } finally {
    await w.stop();
  }
}

/** Replaces the table between the operator markers of bench/README.md (nothing else in the file changes). */
function updateReadme(r: { run_at: string; machine: Record<string, unknown>; apply_to_deployment: unknown; autoscale_reaction: unknown; operator_memory: unknown }): void {
  const file = path.join(ROOT, 'bench/README.md');
  const text = readFileSync(file, 'utf8');
  const start = text.indexOf('<!-- operator:start -->');
  const end = text.indexOf('<!-- operator:end -->');
  if (start < 0 || end < start) return;
  type P = { p50_ms?: number; p99_ms?: number; p50_s?: number; p99_s?: number; all_deployments_ms?: number };
  const a = (typeof r.apply_to_deployment === 'object' ? r.apply_to_deployment : {}) as Record<string, P>;
  const re = (typeof r.autoscale_reaction === 'object' ? r.autoscale_reaction : {}) as { taskyard?: P; keda_defaults_model?: Record<string, number>; poll_seconds?: number };
  const m = (typeof r.operator_memory === 'object' ? r.operator_memory : {}) as Record<string, number>;
  const cell = (p: P | undefined) => (p ? `${p.p50_ms} / ${p.p99_ms}` : 'not run');
  const burst = Object.entries(a).find(([k]) => k.startsWith('burst_of_'));
  const present = Object.entries(a).find(([k]) => k.startsWith('one_more_with_'));
  const rec = a.workerpool_reconcile_duration_upper_bound;
  const k = re.keda_defaults_model;
  const lines = [
    `Run ${r.run_at}, ${String(r.machine.cpus)} shared cores, load average before/after ${JSON.stringify(r.machine.load_average_1_5_15_before)} / ${JSON.stringify(r.machine.load_average_1_5_15_after)}.`,
    '',
    '| figure | p50 / p99 | target |',
    '|---|---:|---|',
    `| apply → Deployment, 1 pool | ${cell(a.one_pool)} ms | |`,
    `| apply → Deployment, one more with ${POOLS} present | ${cell(present?.[1])} ms | p99 ≤ 1000 ms |`,
    `| WorkerPool reconcile duration (histogram bound) | ${rec ? `≤ ${rec.p50_s} / ≤ ${rec.p99_s}` : 'not run'} s | p99 ≤ 1 s |`,
    `| apply → Deployment, burst of ${POOLS} at once (each from its own create) | ${cell(burst?.[1])} ms (all in ${burst?.[1]?.all_deployments_ms} ms) | |`,
    `| autoscale reaction, Taskyard (pollSeconds ${re.poll_seconds}) | ${cell(re.taskyard)} ms | ≤ 3000 ms |`,
    `| autoscale reaction, KEDA defaults (model): 0→1 / further | ${k ? `${k.activation_p50_ms} / ${k.activation_p99_ms} ms; ${k.scale_out_p50_ms} / ${k.scale_out_p99_ms} ms` : 'not run'} | baseline |`,
    `| operator RSS, 500 resources (p50 / max) | ${m.steady_rss_mib_p50 ?? '-'} / ${m.steady_rss_mib_max ?? '-'} MiB (idle ${m.idle_rss_mib ?? '-'}, heap used ${m.heap_used_mib ?? '-'}) | ≤ 150 MB |`,
  ];
  writeFileSync(file, `${text.slice(0, start)}<!-- operator:start -->\n${lines.join('\n')}\n${text.slice(end)}`);
}

async function main(): Promise<void> {
  const loadBefore = os.loadavg().map((x) => Math.round(x * 10) / 10);
  await installCrds();
  log('apply latency');
  const apply = PHASES.has('apply') ? await applyLatency() : 'not run';
  log('autoscale reaction');
  const reaction = PHASES.has('reaction') ? await autoscaleReaction() : 'not run';
  log('memory');
  const mem = PHASES.has('memory') ? await memory() : 'not run';
  const result = {
    run_at: new Date().toISOString(),
    machine: { load_average_1_5_15_before: loadBefore, load_average_1_5_15_after: os.loadavg().map((x) => Math.round(x * 10) / 10), cpus: os.cpus().length, cpu: os.cpus()[0]?.model, memory_gib: Math.round(os.totalmem() / 2 ** 30), node: process.version },
    cluster: 'control-plane tier (etcd + kube-apiserver + controller-manager + scheduler on loopback), shared machine',
    apply_to_deployment: apply,
    autoscale_reaction: reaction,
    operator_memory: mem,
    operator_node_flags: NODE_FLAGS.join(' '),
    targets: { apply_p99_ms_at_200: 1000, reaction_ms: 3000, rss_mib_at_500: 150 },
  };
  mkdirSync(path.join(ROOT, 'bench/results'), { recursive: true });
  writeFileSync(path.join(ROOT, 'bench/results/operator.json'), `${JSON.stringify(result, null, 2)}\n`);
  updateReadme(result);
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  client.close();
}

main().catch((error: unknown) => {
  process.stderr.write(`${JSON.stringify({ level: 'error', msg: 'operator bench failed', error: String(error) })}\n`);
  process.exit(1);
});
