import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { scheduleTaskId } from "@taskyard/api";
import { liveWorkers, taskyardKeys } from "@taskyard/api/wire";
import { chord, task, TaskyardClient, type QueueCounts } from "@taskyard/client";
import { Redis } from "ioredis";
import { runCommand } from "../src/run-command.js";
import { waitUntil } from "../src/wait-until.js";
import { printDiagnostics } from "./diagnostics.js";
import { recordFigure } from "./figures.js";
import { isReady, Kube, type DeploymentObject, type KubeObject, type PodObject } from "./kube.js";
import { portForward, type PortForward } from "./port-forward.js";
import { suiteEnv } from "./suite-env.js";

// Taskyard end to end on a real cluster with nodes (the node tier here, kind elsewhere): the chart
// installed with helm, the samples applied with kubectl, tasks enqueued from outside the cluster
// through a port-forward, run by worker pods the operator scales. Phases run in order and build on
// each other; a failing phase prints the operator's and workers' logs.

const env = suiteEnv();
const kube = new Kube(env.cluster);
const { release, systemNamespace: sys, namespace: ns } = env;
const MINUTE = 60_000;

let redisForward: PortForward | undefined;
let client: TaskyardClient | undefined;
let redis: Redis | undefined;
let redisPassword = "";
/** The CRDs were in the cluster before the suite (not installed by this chart). */
let crdsFromElsewhere = false;

/** A named phase: on failure, prints diagnostics, then fails with the original error. */
function phase(name: string, timeoutMs: number, body: () => Promise<void>): void {
  it(name, { timeout: timeoutMs }, async () => {
    const started = Date.now();
    try {
      await body();
    } catch (error) {
      await printDiagnostics(kube, sys, ns, name);
      throw error;
    } finally {
      process.stderr.write(`${JSON.stringify({ level: "info", msg: "phase done", component: "e2e", phase: name, seconds: Math.round((Date.now() - started) / 100) / 10 })}\n`);
    }
  });
}

function helm(args: readonly string[], timeoutMs = 6 * MINUTE) {
  return runCommand(env.helm, ["--kubeconfig", env.cluster.kubeconfig, ...args], { timeoutMs });
}

function taskyard(): TaskyardClient {
  assert.ok(client, "the Redis port-forward is open (phase: examples applied)");
  return client;
}

/** Tasks a queue holds in any state (ticks are never consumed: no pool serves "ticks"). */
function queued(counts: QueueCounts): number {
  return counts.waiting + counts.prioritized + counts.active + counts.delayed + counts.completed + counts.failed;
}

async function deployment(name: string): Promise<DeploymentObject | undefined> {
  return kube.maybe<DeploymentObject>(ns, "deployment", name);
}

async function poolPods(pool: string): Promise<PodObject[]> {
  return kube.list<PodObject>(ns, "pods", `taskyard.dev/worker-pool=${pool}`);
}

/**
 * Waits until a task runs and returns the pod running it: from the worker's "task started" log line
 * (debug level, on in the steady pool) or from the worker registry in Redis (refreshed every 10 s).
 */
async function podRunning(taskId: string, pool: string): Promise<string> {
  assert.ok(redis);
  const keys = taskyardKeys("taskyard");
  const r = redis;
  return waitUntil(`a worker of pool ${pool} to start task ${taskId}`, async () => {
    const logs = await kube.try(["-n", ns, "logs", "-l", `taskyard.dev/worker-pool=${pool}`, "--prefix", "--tail", "-1", "--max-log-requests", "10"]);
    for (const line of logs.stdout.split("\n")) {
      if (!line.includes(taskId) || !line.includes('"task started"')) continue;
      const pod = /^\[pod\/([^/\]]+)\//.exec(line)?.[1];
      if (pod) return pod;
    }
    for (const info of await liveWorkers(r, keys, ns)) {
      if (info.active?.includes(taskId) && info.pod) return info.pod;
    }
    return undefined;
  }, { timeoutMs: 3 * MINUTE, intervalMs: 300 });
}

// Pools of the suite's own, with short timings so a phase takes seconds, not minutes.
const suiteResources = `
apiVersion: taskyard.dev/v1alpha1
kind: TaskQueue
metadata: {name: burst}
spec:
  deletionPolicy: Delete
---
apiVersion: taskyard.dev/v1alpha1
kind: WorkerPool
metadata: {name: burst}
spec:
  queues: [burst]
  concurrency: 2
  bundle: {configMap: {name: tasks-bundle, key: bundle.mjs}}
  autoscaling: {minReplicas: 0, maxReplicas: 3, targetBacklogPerReplica: 4, pollSeconds: 2, scaleDownDelaySeconds: 10, idleSecondsBeforeZero: 15}
  template:
    resources: {requests: {cpu: 10m, memory: 64Mi}}
---
apiVersion: taskyard.dev/v1alpha1
kind: TaskQueue
metadata: {name: steady}
spec:
  deletionPolicy: Delete
---
apiVersion: taskyard.dev/v1alpha1
kind: WorkerPool
metadata: {name: steady}
spec:
  queues: [steady]
  concurrency: 1
  replicas: 2
  bundle: {configMap: {name: tasks-bundle, key: bundle.mjs}}
  template:
    resources: {requests: {cpu: 10m, memory: 64Mi}}
    # A killed worker's task is re-queued once its lock expires: keep that short for the test.
    env:
      - {name: TASKYARD_LOCK_DURATION_MS, value: "5000"}
      - {name: TASKYARD_STALLED_INTERVAL_MS, value: "3000"}
      # "task started" lines (debug) tell the suite which pod runs a task.
      - {name: TASKYARD_LOG_LEVEL, value: debug}
---
apiVersion: taskyard.dev/v1alpha1
kind: TaskQueue
metadata: {name: ticks}
spec:
  deletionPolicy: Delete
---
apiVersion: taskyard.dev/v1alpha1
kind: Schedule
metadata: {name: every-minute}
spec:
  queue: ticks
  task: sync_data
  args: [beat]
  cron: "* * * * *"
  concurrencyPolicy: Forbid
`;

describe("Taskyard on a cluster with nodes", { concurrency: false }, () => {
  const suiteStarted = Date.now();

  before(async () => {
    await kube.try(["delete", "namespace", ns, "--ignore-not-found", "--wait=true"]);
  });

  after(async () => {
    await client?.close().catch(() => undefined);
    redis?.disconnect();
    await redisForward?.close();
    recordFigure("suite duration", Math.round((Date.now() - suiteStarted) / 1000), "s");
  });

  phase("images: built from the local base and loaded into the cluster", 15 * MINUTE, async () => {
    const build = await runCommand(join(env.root, "images/build.sh"), ["--tag", env.imageTag], { timeoutMs: 15 * MINUTE });
    assert.equal(build.code, 0, `images/build.sh failed:\n${build.stderr}`);
    const load = await runCommand(env.cluster.loadImage[0] ?? "false", [...env.cluster.loadImage.slice(1), env.cluster.images.redis], { timeoutMs: 5 * MINUTE });
    assert.equal(load.code, 0, `loading ${env.cluster.images.redis}: ${load.stderr}`);
    for (const name of ["operator", "worker-runtime", "console"]) {
      const image = `taskyard/${name}:${env.imageTag}`;
      const inspect = await runCommand(env.cluster.docker, ["image", "inspect", "-f", "{{.Config.User}}", image]);
      assert.equal(inspect.stdout.trim(), "1000:1000", `${image} runs as uid 1000`);
      // Only what runs: no dev dependencies (TypeScript, playwright), no sources or type declarations.
      const listing = await runCommand(env.cluster.docker, ["run", "--rm", "--network", "none", "--entrypoint", "/bin/sh", image, "-c",
        "ls /app/node_modules; find /app -name '*.ts' -o -name '*.map' | head -3; test -w /app && echo writable || true"]);
      assert.equal(listing.code, 0, listing.stderr);
      for (const unwanted of ["typescript", "playwright-core", "@types", "writable"]) {
        assert.ok(!listing.stdout.split("\n").includes(unwanted), `${image} has no ${unwanted}: ${listing.stdout}`);
      }
      assert.doesNotMatch(listing.stdout, /\.(ts|map)$/m, `${image} has no TypeScript sources or source maps`);
    }
  });

  phase("helm install: operator (2 replicas, one leader), Redis and console become Ready", 8 * MINUTE, async () => {
    const [repo, tag] = env.cluster.images.redis.split(":") as [string, string];
    // A cluster shared with other test runs may already hold the CRDs (applied from crds/): then the
    // chart must not take them over, and the suite must leave them in place at the end.
    const existing = await kube.try(["get", "crd", "workerpools.taskyard.dev", "-o", "jsonpath={.metadata.labels.app\\.kubernetes\\.io/managed-by}"]);
    crdsFromElsewhere = existing.code === 0 && existing.stdout.trim() !== "Helm";
    const started = Date.now();
    const install = await helm([
      "install", release, join(env.root, "charts/taskyard"), "--namespace", sys, "--create-namespace",
      "--wait", "--timeout", "6m", "--set", `image.tag=${env.imageTag}`,
      "--set", `redis.image.repository=${repo}`, "--set", `redis.image.tag=${tag}`,
      ...(crdsFromElsewhere ? ["--set", "crds.install=false"] : []),
    ]);
    assert.equal(install.code, 0, `helm install failed: ${install.stderr}`);
    const pods = await waitUntil("every pod of the release Ready", async () => {
      const list = await kube.list<PodObject>(sys, "pods", `app.kubernetes.io/instance=${release}`);
      return list.length === 4 && list.every(isReady) ? list : undefined;
    }, { timeoutMs: 3 * MINUTE });
    recordFigure("helm install to all pods Ready", Math.round((Date.now() - started) / 100) / 10, "s");
    assert.deepEqual(pods.map((p) => p.metadata.labels?.["app.kubernetes.io/component"]).sort(), ["console", "operator", "operator", "redis"]);
    assert.match(install.stdout, /port-forward svc\/taskyard-console 5555/, "NOTES tell how to open the console");
    // One leader: the Lease names one of the two operator pods.
    const holder = await waitUntil("the operator Lease to have a holder", async () => {
      const lease = await kube.maybe<KubeObject>(sys, "lease", `${release}-operator`);
      return (lease?.spec?.["holderIdentity"] as string | undefined) || undefined;
    });
    const operatorPods = pods.filter((p) => p.metadata.labels?.["app.kubernetes.io/component"] === "operator").map((p) => p.metadata.name);
    assert.ok(operatorPods.some((name) => holder.startsWith(name)), `Lease holder ${holder} is one of ${operatorPods.join(", ")}`);
    for (const crd of ["taskqueues", "workerpools", "schedules"]) await kube.run(["get", "crd", `${crd}.taskyard.dev`]);
  });

  phase("kubectl apply: the samples are accepted and reconciled", 5 * MINUTE, async () => {
    await kube.run(["create", "namespace", ns]);
    await kube.run(["-n", ns, "create", "configmap", "tasks-bundle", `--from-file=bundle.mjs=${join(env.root, "examples/bundle/index.mjs")}`]);
    redisPassword = Buffer.from(
      (await kube.run(["-n", sys, "get", "secret", `${release}-redis`, "-o", "jsonpath={.data.password}"])).trim(), "base64",
    ).toString();
    // From outside the cluster, as a user would: a port-forward to the Redis Service on loopback.
    redisForward = await portForward(env.cluster, sys, `svc/${release}-redis`, 6379);
    const url = `redis://:${redisPassword}@127.0.0.1:${redisForward.port}`;
    client = new TaskyardClient({ redisUrl: url, namespace: ns });
    redis = new Redis(url);
    // taskqueue-payments.yaml reads its Redis URL from this Secret; point it at the chart's Redis.
    await kube.run(["-n", ns, "create", "secret", "generic", "payments-redis", `--from-literal=url=redis://:${redisPassword}@${release}-redis.${sys}.svc:6379/1`]);
    const examples = readdirSync(join(env.root, "examples/k8s")).filter((f) => f.endsWith(".yaml")).sort();
    assert.ok(examples.length >= 5, `examples/k8s has samples: ${examples.join(", ")}`);
    await kube.run(["-n", ns, "apply", ...examples.flatMap((f) => ["-f", join(env.root, "examples/k8s", f)])]);
    // The 30-second Schedule would keep the sample pool busy forever; suspended, it still reconciles.
    await kube.run(["-n", ns, "patch", "schedule", "sync-data", "--type", "merge", "-p", '{"spec":{"suspend":true}}']);
    await kube.apply(ns, suiteResources);

    const queues = ["emails", "reports", "payments", "burst", "steady", "ticks"];
    await waitUntil("every TaskQueue Ready", async () => {
      const list = await kube.list<KubeObject>(ns, "taskqueues");
      const ready = list.filter((q) => ((q.status?.["conditions"] ?? []) as { type: string; status: string }[]).some((c) => c.type === "Ready" && c.status === "True"));
      return ready.length === queues.length ? true : undefined;
    }, { timeoutMs: 2 * MINUTE });
    const general = await waitUntil("the sample pool's Deployment", () => deployment("general"));
    assert.equal(general.spec.template.spec.containers[0]?.image, `taskyard/worker-runtime:${env.imageTag}`);
    const payments = await waitUntil("the URL-bundle pool's Deployment", () => deployment("payments"));
    assert.equal(payments.spec.replicas, 2);
    // Its bundle server (bundles.tasks.svc) is not part of the demo: a spec change parks it at 0.
    await kube.run(["-n", ns, "patch", "workerpool", "payments", "--type", "merge", "-p", '{"spec":{"replicas":0}}']);
    await waitUntil("the payments Deployment scaled to 0 by the operator", async () => ((await deployment("payments"))?.spec.replicas === 0 ? true : undefined));
    await waitUntil("the nightly-report CronJob", () => kube.maybe(ns, "cronjob", "nightly-report"));
    await waitUntil("the steady pool's 2 pods Ready", async () => ((await poolPods("steady")).filter(isReady).length === 2 ? true : undefined), { timeoutMs: 3 * MINUTE });

  });

  phase("the guide's tasks, enqueued from outside the cluster, run on worker pods with readable results", 6 * MINUTE, async () => {
    const c = taskyard();
    const image = await c.enqueue("process_image", ["img-1", { width: 64, height: 48, passes: 3 }], { queue: "reports" });
    const sync = await c.enqueue("sync_data", ["crm"], { queue: "reports", kwargs: { failures: 1 } });
    const report = await c.apply(chord(
      [task("process_image", ["a", { width: 8, height: 8, passes: 1 }], { queue: "reports" }), task("process_image", ["b", { width: 16, height: 8, passes: 1 }], { queue: "reports" })],
      task("generate_report", ["weekly"], { queue: "reports" }),
    ));
    const payment = await c.enqueue("process_payment", ["p-1", 1200, "declined"], { queue: "emails" });

    const imageResult = (await image.result({ timeout: 4 * MINUTE })) as { imageId: string; width: number; height: number; passes: number; checksum: number };
    assert.deepEqual({ ...imageResult, checksum: typeof imageResult.checksum }, { imageId: "img-1", width: 64, height: 48, passes: 3, checksum: "number" });
    assert.deepEqual(await sync.result({ timeout: 2 * MINUTE }), { source: "crm", records: 42, attempt: 2 }, "retried once by autoretryFor, then SUCCESS");
    const reportResult = (await report.result({ timeout: 2 * MINUTE })) as { title: string; count: number; items: string[] };
    assert.deepEqual({ title: reportResult.title, count: reportResult.count, items: reportResult.items }, { title: "weekly", count: 2, items: ["a", "b"] }, "the chord callback got the group's results in order");
    await assert.rejects(payment.result({ timeout: 2 * MINUTE }), (error: Error & { error?: { name: string } }) => /declined/.test(error.message));
    const failed = await payment.status();
    assert.equal(failed.state, "FAILURE");
    assert.equal(failed.error?.name, "PaymentDeclined");
    const emails = await c.queueCounts("emails");
    assert.equal(emails.dead, 1, "the declined payment is in the dead-letter queue emails.dead");
    // They ran in pods: the sample pool scaled up from zero to run them.
    const pods = await poolPods("general");
    assert.ok(pods.length >= 1, "the general pool has worker pods");
  });

  phase("burst: a WorkerPool scales from 0 to several replicas, drains, and returns to 0", 8 * MINUTE, async () => {
    const c = taskyard();
    const before = await waitUntil("the burst pool's Deployment at 0", async () => ((await deployment("burst"))?.spec.replicas === 0 ? true : undefined));
    assert.ok(before);
    const enqueuedAt = Date.now();
    const handles = await c.enqueueBulk(Array.from({ length: 24 }, (_, i) => ({
      name: "process_image", args: [`burst-${i}`, { width: 200, height: 200, passes: 12 }], options: { queue: "burst" },
    })));
    let maxReplicas = 0;
    const watcher = (async () => {
      while (Date.now() - enqueuedAt < 6 * MINUTE) {
        const d = await deployment("burst");
        maxReplicas = Math.max(maxReplicas, d?.spec.replicas ?? 0);
        if (maxReplicas >= 3) return;
        await sleep(500);
      }
    })();
    const firstStart = await waitUntil("the first burst task to start", async () => {
      const started = (await Promise.all(handles.map((h) => h.status()))).map((s) => s.startedAt).filter((t): t is number => t !== undefined);
      return started.length > 0 ? Math.min(...started) : undefined;
    }, { timeoutMs: 4 * MINUTE, intervalMs: 250 });
    recordFigure("burst to first task started on a pod scaled from zero", Math.round((firstStart - enqueuedAt) / 100) / 10, "s");
    const results = await Promise.all(handles.map((h) => h.result({ timeout: 5 * MINUTE })));
    await watcher;
    assert.equal(results.length, 24, "every task of the burst finished");
    assert.ok(maxReplicas >= 3, `scaled out to several replicas (max seen ${maxReplicas})`);
    const pool = await kube.maybe<KubeObject>(ns, "workerpool", "burst");
    assert.ok(typeof pool?.status?.["lastScaleReason"] === "string", "status says why the pool scaled");
    await waitUntil("the burst pool back at 0 replicas with no pods", async () => {
      const d = await deployment("burst");
      return d?.spec.replicas === 0 && (await poolPods("burst")).length === 0 ? true : undefined;
    }, { timeoutMs: 3 * MINUTE, intervalMs: 1000 });
    const counts = await c.queueCounts("burst");
    assert.equal(counts.completed, 24, `nothing lost: ${JSON.stringify(counts)}`);
  });

  phase("revoke --terminate stops a running task and the worker goes on", 5 * MINUTE, async () => {
    const c = taskyard();
    // About 30 s of work: longer than the time the revoke takes, shorter than its hard time limit.
    const long = await c.enqueue("process_image", ["long", { width: 400, height: 400, passes: 2000 }], { queue: "steady" });
    const pod = await podRunning(long.id, "steady");
    await long.revoke({ terminate: true });
    await assert.rejects(long.result({ timeout: MINUTE }), /revoked/i);
    assert.equal((await long.status()).state, "REVOKED");
    await waitUntil(`pod ${pod} to log that it aborted the running task`, async () => {
      const logs = await kube.run(["-n", ns, "logs", pod, "--tail", "-1"]);
      return logs.split("\n").some((l) => l.includes(long.id) && l.includes('"task terminated by revoke"')) ? true : undefined;
    }, { timeoutMs: MINUTE });
    const podAfter = await kube.maybe<PodObject>(ns, "pod", pod);
    assert.ok(podAfter && isReady(podAfter), `worker pod ${pod} is still up`);
    const next = await c.enqueue("sync_data", ["after-revoke"], { queue: "steady", kwargs: { failures: 0 } });
    assert.deepEqual(await next.result({ timeout: 2 * MINUTE }), { source: "after-revoke", records: 42, attempt: 1 });
  });

  phase("a worker pod deleted mid-task: the task completes on another pod, nothing lost", 6 * MINUTE, async () => {
    const c = taskyard();
    // Several seconds of work each (long enough to be mid-task when the pod dies, well under
    // process_image's 20 s soft time limit), two pods, one task at a time each.
    const handles = await Promise.all(Array.from({ length: 4 }, (_, i) =>
      c.enqueue("process_image", [`survivor-${i}`, { width: 300, height: 300, passes: 1500 }], { queue: "steady" })));
    const first = handles[0];
    assert.ok(first);
    const victim = await podRunning(first.id, "steady");
    // Kill it like a lost node: no grace period, the task's lock expires and another pod re-runs it.
    await kube.run(["-n", ns, "delete", "pod", victim, "--grace-period=0", "--force", "--wait=false"]);
    const results = (await Promise.all(handles.map((h) => h.result({ timeout: 4 * MINUTE })))) as { imageId: string }[];
    assert.deepEqual(results.map((r) => r.imageId), handles.map((_, i) => `survivor-${i}`));
    const survivors = await poolPods("steady");
    assert.ok(!survivors.some((p) => p.metadata.name === victim), `the killed pod ${victim} is gone`);
    assert.equal((await first.status()).state, "SUCCESS");
    // The task the killed pod was running started again on a pod that is still there.
    const rerunOn = await waitUntil(`a surviving pod's log showing task ${first.id} started`, async () => {
      for (const pod of survivors) {
        const logs = await kube.run(["-n", ns, "logs", pod.metadata.name, "--tail", "-1"]);
        if (logs.split("\n").some((l) => l.includes(first.id) && l.includes('"task started"'))) return pod.metadata.name;
      }
      return undefined;
    }, { timeoutMs: MINUTE });
    assert.notEqual(rerunOn, victim);
  });

  phase("helm upgrade: a changed value is reconciled into the workers", 6 * MINUTE, async () => {
    // A new runtime tag: the operator restarts with it and re-renders every worker Deployment.
    const retag = await runCommand(env.cluster.docker, ["tag", `taskyard/worker-runtime:${env.imageTag}`, "taskyard/worker-runtime:e2e-upgrade"]);
    assert.equal(retag.code, 0, retag.stderr);
    const load = await runCommand(env.cluster.loadImage[0] ?? "false", [...env.cluster.loadImage.slice(1), "taskyard/worker-runtime:e2e-upgrade"], { timeoutMs: 5 * MINUTE });
    assert.equal(load.code, 0, load.stderr);
    const upgrade = await helm(["upgrade", release, join(env.root, "charts/taskyard"), "--namespace", sys, "--reuse-values", "--wait", "--timeout", "5m", "--set", "runtime.image.tag=e2e-upgrade"]);
    assert.equal(upgrade.code, 0, upgrade.stderr);
    await waitUntil("the steady pool rolled to the new runtime image", async () => {
      const d = await deployment("steady");
      const image = d?.spec.template.spec.containers[0]?.image;
      if (image !== "taskyard/worker-runtime:e2e-upgrade") return undefined;
      const pods = await poolPods("steady");
      return pods.length === 2 && pods.every((p) => isReady(p) && p.spec.containers[0]?.image === image) ? true : undefined;
    }, { timeoutMs: 4 * MINUTE, intervalMs: 1000 });
    const t = await taskyard().enqueue("sync_data", ["after-upgrade"], { queue: "steady", kwargs: { failures: 0 } });
    assert.deepEqual(await t.result({ timeout: 2 * MINUTE }), { source: "after-upgrade", records: 42, attempt: 1 });
  });

  phase("Schedule: an every-minute cron enqueues exactly one task per tick", 5 * MINUTE, async () => {
    const c = taskyard();
    const schedule = await kube.maybe<KubeObject>(ns, "schedule", "every-minute");
    const uid = schedule?.metadata.uid;
    assert.ok(uid);
    const tickPattern = new RegExp(`^sched-${uid}-(\\d+)$`);
    /** Minutes of the tasks in the "ticks" queue (no pool serves it, so every task stays there). */
    const tickTasks = async (): Promise<{ ids: string[]; minutes: number[] }> => {
      const jobs = await c.queue("ticks").getJobs(["waiting", "prioritized", "active", "delayed", "completed", "failed"]);
      const ids = jobs.map((j) => j.id ?? "").sort();
      return { ids, minutes: ids.map((id) => Number(tickPattern.exec(id)?.[1])).sort((a, b) => a - b) };
    };
    const seen = await waitUntil("three ticks of the every-minute Schedule", async () => {
      const t = await tickTasks();
      return t.ids.length >= 3 ? t : undefined;
    }, { timeoutMs: 4 * MINUTE, intervalMs: 2000 });
    assert.ok(seen.minutes.every(Number.isInteger), `every task in the queue is a tick's (sched-<uid>-<minute>): ${seen.ids.join(", ")}`);
    // One task per minute, none missed between the first and the last tick.
    const first = seen.minutes[0] as number;
    assert.deepEqual(seen.minutes, seen.minutes.map((_, i) => first + i), `consecutive ticks, one task each: ${seen.minutes.join(", ")}`);
    const status = await c.status(scheduleTaskId(uid, new Date(first * MINUTE)), { queue: "ticks" });
    assert.equal(status.name, "sync_data");
    // A second beat pod for a tick that already ran (a retried or doubled Job) enqueues nothing new.
    const again = `every-minute-again-${first}`;
    await kube.run(["-n", ns, "create", "job", again, "--from", "cronjob/every-minute"]);
    const job = await waitUntil("the doubled beat Job to finish", async () => {
      const j = await kube.maybe<KubeObject & { status: { succeeded?: number; failed?: number } }>(ns, "job", again);
      return (j?.status.succeeded ?? 0) + (j?.status.failed ?? 0) > 0 ? j : undefined;
    }, { timeoutMs: 2 * MINUTE });
    assert.equal(job?.status.succeeded, 1, "the doubled beat pod exits 0");
    const afterDouble = await tickTasks();
    assert.ok(afterDouble.minutes.every(Number.isInteger), `only tick tasks: ${afterDouble.ids.join(", ")}`);
    assert.deepEqual(afterDouble.minutes, afterDouble.minutes.map((_, i) => first + i), `still one task per tick: ${afterDouble.minutes.join(", ")}`);
    const schedStatus = await kube.maybe<KubeObject>(ns, "schedule", "every-minute");
    assert.ok(typeof schedStatus?.status?.["lastScheduleTime"] === "string", "status.lastScheduleTime is set");
  });

  phase("helm uninstall: the release's objects are gone, the CRDs kept", 6 * MINUTE, async () => {
    await client?.close();
    client = undefined;
    redis?.disconnect();
    redis = undefined;
    await redisForward?.close();
    redisForward = undefined;
    // Resources first, while the operator runs their finalizers (deletionPolicy: Delete).
    await kube.run(["-n", ns, "delete", "schedules,workerpools,taskqueues", "--all", "--wait=true", "--timeout=3m"]);
    await waitUntil("worker Deployments and beat CronJobs garbage-collected", async () => {
      const left = (await kube.list<KubeObject>(ns, "deployments")).length + (await kube.list<KubeObject>(ns, "cronjobs")).length;
      return left === 0 ? true : undefined;
    }, { timeoutMs: 2 * MINUTE });
    const uninstall = await helm(["uninstall", release, "--namespace", sys, "--wait", "--timeout", "3m"]);
    assert.equal(uninstall.code, 0, uninstall.stderr);
    await waitUntil("no object of the release left", async () => {
      const left = await kube.try(["-n", sys, "get", "all,secrets,configmaps,serviceaccounts,roles,rolebindings,leases,poddisruptionbudgets", "-l", `app.kubernetes.io/instance=${release}`, "-o", "name"]);
      const cluster = await kube.try(["get", "clusterroles,clusterrolebindings", "-l", `app.kubernetes.io/instance=${release}`, "-o", "name"]);
      return left.stdout.trim() === "" && cluster.stdout.trim() === "" ? true : undefined;
    }, { timeoutMs: 2 * MINUTE });
    const pods = await kube.list<PodObject>(sys, "pods");
    assert.deepEqual(pods.map((p) => p.metadata.name), [], "no pod left in the release namespace");
    for (const crd of ["taskqueues", "workerpools", "schedules"]) await kube.run(["get", "crd", `${crd}.taskyard.dev`]);
    if (!crdsFromElsewhere) await kube.run(["delete", "crd", "taskqueues.taskyard.dev", "workerpools.taskyard.dev", "schedules.taskyard.dev"]);
    await kube.run(["delete", "namespace", ns, sys, "--wait=true", "--timeout=2m"]);
  });
});
