// Node-tier smoke suite: pods run images built on this machine, reach each other through a
// Service (ClusterIP and DNS), CronJobs run to completion, logs and exec work, and deleting a
// Deployment garbage-collects its pods. Uses only a kubeconfig and the load-image hook, so it
// runs unchanged on kind.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { after, before, describe, test } from "node:test";
import { buildTestImage, createTestNamespace, kubectl, testCluster, tryKubectl, waitUntil, type TestNamespace } from "../src/index.js";

const cluster = testCluster();
const fixture = fileURLToPath(new URL("../../test/fixtures/echo/", import.meta.url));
const image = "taskyard/e2e-echo:smoke";
let namespace: TestNamespace;

interface EchoReply {
  pod: string;
  path: string;
}

function manifest(objects: readonly object[]): string {
  return JSON.stringify({ apiVersion: "v1", kind: "List", items: objects });
}

function container(name: string, command?: readonly string[]): object {
  return {
    name,
    image,
    imagePullPolicy: "IfNotPresent",
    ...(command === undefined ? {} : { command }),
    securityContext: { runAsNonRoot: true, runAsUser: 1000, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
  };
}

async function echoPods(): Promise<string[]> {
  const names = await kubectl(cluster, ["get", "pods", "-n", namespace.name, "-l", "app=echo", "-o", "jsonpath={.items[*].metadata.name}"]);
  return names.split(" ").filter((name) => name !== "");
}

/** Fetches a URL from inside the client pod (kubectl exec), returning the echo server's reply. */
async function fetchFromClient(url: string): Promise<EchoReply> {
  const script = `fetch(${JSON.stringify(url)}, { signal: AbortSignal.timeout(5000) }).then((r) => r.text()).then((t) => process.stdout.write(t))`;
  const body = await kubectl(cluster, ["exec", "-n", namespace.name, "client", "--", "node", "-e", script]);
  return JSON.parse(body) as EchoReply;
}

describe("node tier smoke suite", () => {
  before(async () => {
    await buildTestImage(cluster, image, readFileSync(`${fixture}Dockerfile`, "utf8"), {
      "server.mjs": readFileSync(`${fixture}server.mjs`, "utf8"),
    });
    namespace = await createTestNamespace(cluster, "smoke");
  });

  after(async () => {
    await namespace?.remove();
  });

  test("a Deployment of a locally built image becomes Ready", async () => {
    const deployment = {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "echo", namespace: namespace.name },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: "echo" } },
        template: {
          metadata: { labels: { app: "echo" } },
          spec: {
            containers: [{ ...container("echo"), ports: [{ containerPort: 8080 }], readinessProbe: { httpGet: { path: "/ready", port: 8080 }, periodSeconds: 2 } }],
          },
        },
      },
    };
    const service = {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: "echo", namespace: namespace.name },
      spec: { selector: { app: "echo" }, ports: [{ port: 80, targetPort: 8080 }] },
    };
    const client = {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "client", namespace: namespace.name },
      spec: { containers: [container("client", ["node", "-e", "setInterval(() => {}, 1 << 30)"])], terminationGracePeriodSeconds: 1 },
    };
    await kubectl(cluster, ["apply", "-f", "-"], { input: manifest([deployment, service, client]) });
    await kubectl(cluster, ["rollout", "status", "deployment/echo", "-n", namespace.name, "--timeout=240s"], { timeoutMs: 250_000 });
    const ready = await kubectl(cluster, ["get", "deployment", "echo", "-n", namespace.name, "-o", "jsonpath={.status.readyReplicas}"]);
    assert.equal(ready, "2");
    const images = await kubectl(cluster, ["get", "pods", "-n", namespace.name, "-l", "app=echo", "-o", "jsonpath={.items[*].spec.containers[0].image}"]);
    assert.deepEqual(images.split(" "), [image, image]);
    await kubectl(cluster, ["wait", "pod/client", "-n", namespace.name, "--for=condition=Ready", "--timeout=240s"], { timeoutMs: 250_000 });
  });

  test("kubectl exec runs a command in a pod", async () => {
    const output = await kubectl(cluster, ["exec", "-n", namespace.name, "client", "--", "node", "-e", "console.log(require('os').hostname(), process.getuid())"]);
    assert.equal(output.trim(), "client 1000");
  });

  test("a pod reaches another through the Service's ClusterIP and its DNS names", async () => {
    const pods = await echoPods();
    const clusterIP = await kubectl(cluster, ["get", "service", "echo", "-n", namespace.name, "-o", "jsonpath={.spec.clusterIP}"]);
    assert.match(clusterIP, /^\d+\.\d+\.\d+\.\d+$/);
    for (const url of [`http://${clusterIP}/by-ip`, `http://echo.${namespace.name}.svc.cluster.local/by-fqdn`, "http://echo/by-short-name"]) {
      // kube-proxy and CoreDNS pick up a new Service within seconds; poll instead of assuming.
      const reply = await waitUntil(`an answer from ${url}`, () => fetchFromClient(url), { timeoutMs: 60_000, intervalMs: 1_000 });
      assert.ok(pods.includes(reply.pod), `answer from ${reply.pod}, not one of ${pods.join(", ")}`);
      assert.equal(reply.path, new URL(url).pathname);
    }
  });

  test("a pod reaches the API server through the kubernetes Service with its ServiceAccount", async () => {
    // What in-cluster clients (the operator) do: KUBERNETES_SERVICE_HOST, the mounted CA and token.
    const script = [
      "const fs = require('fs'); const dir = '/var/run/secrets/kubernetes.io/serviceaccount/';",
      "require('https').get({ host: process.env.KUBERNETES_SERVICE_HOST, port: process.env.KUBERNETES_SERVICE_PORT,",
      "  path: '/api/v1/namespaces/' + fs.readFileSync(dir + 'namespace', 'utf8') + '/pods/client', ca: fs.readFileSync(dir + 'ca.crt'),",
      "  headers: { authorization: 'Bearer ' + fs.readFileSync(dir + 'token', 'utf8') } },",
      "  (r) => { let b = ''; r.on('data', (c) => (b += c)); r.on('end', () => console.log(r.statusCode, b.length)); })",
      "  .on('error', (e) => { console.error(e.message); process.exit(1); });",
    ].join("\n");
    const output = await kubectl(cluster, ["exec", "-n", namespace.name, "client", "--", "node", "-e", script]);
    // 403: authenticated as the pod's ServiceAccount over verified TLS, and refused by RBAC.
    assert.match(output.trim(), /^403 \d+$/);
  });

  test("kubectl logs shows what a container wrote", async () => {
    const marker = `/logged-${Date.now()}`;
    await fetchFromClient(`http://echo.${namespace.name}/${marker.slice(1)}`);
    await waitUntil("the request in the echo pods' logs", async () => {
      const logs = await kubectl(cluster, ["logs", "-n", namespace.name, "-l", "app=echo", "--tail=-1"]);
      return logs.includes(`"path":"${marker}"`) ? true : undefined;
    }, { timeoutMs: 30_000 });
  });

  test("a CronJob creates a Job whose pod completes", async () => {
    const cronJob = {
      apiVersion: "batch/v1",
      kind: "CronJob",
      metadata: { name: "tick", namespace: namespace.name },
      spec: {
        schedule: "* * * * *",
        concurrencyPolicy: "Forbid",
        jobTemplate: {
          spec: {
            backoffLimit: 0,
            template: { spec: { restartPolicy: "Never", containers: [container("tick", ["node", "-e", "console.log('tick from ' + require('os').hostname())"])] } },
          },
        },
      },
    };
    await kubectl(cluster, ["apply", "-f", "-"], { input: manifest([cronJob]) });
    const job = await waitUntil(
      "a succeeded Job of the CronJob",
      async () => {
        const lines = await kubectl(cluster, ["get", "jobs", "-n", namespace.name, "-o", "jsonpath={range .items[*]}{.metadata.name} {.metadata.ownerReferences[0].name} {.status.succeeded}{\"\\n\"}{end}"]);
        return lines.split("\n").map((line) => line.split(" ")).find(([, owner, succeeded]) => owner === "tick" && succeeded === "1")?.[0];
      },
      { timeoutMs: 240_000, intervalMs: 2_000 },
    );
    const phase = await kubectl(cluster, ["get", "pods", "-n", namespace.name, "-l", `job-name=${job}`, "-o", "jsonpath={.items[0].status.phase}"]);
    assert.equal(phase, "Succeeded");
    const logs = await kubectl(cluster, ["logs", "-n", namespace.name, `job/${job}`]);
    assert.match(logs, new RegExp(`^tick from ${job}-`));
  });

  test("deleting a Deployment garbage-collects its ReplicaSet and pods", async () => {
    assert.equal((await echoPods()).length, 2);
    await kubectl(cluster, ["delete", "deployment", "echo", "-n", namespace.name, "--wait=false"]);
    await waitUntil("the echo pods to be deleted", async () => ((await echoPods()).length === 0 ? true : undefined), { timeoutMs: 120_000 });
    const replicaSets = await tryKubectl(cluster, ["get", "replicasets", "-n", namespace.name, "-l", "app=echo", "-o", "name"]);
    assert.equal(replicaSets.code, 0);
    assert.equal(replicaSets.stdout.trim(), "");
  });
});
