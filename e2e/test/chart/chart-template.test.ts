import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { runCommand } from "../../src/run-command.js";
import { findHelm } from "./find-helm.js";
import { chartDir, find, kubeVersion, render, tryRender, type Rendered } from "./render-chart.js";

// Renders charts/taskyard with `helm template` and asserts on the objects a user would get.

interface EnvVar { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }
interface Container {
  name: string;
  image: string;
  imagePullPolicy?: string;
  command?: string[];
  env?: EnvVar[];
  securityContext?: { readOnlyRootFilesystem?: boolean; allowPrivilegeEscalation?: boolean; runAsNonRoot?: boolean; capabilities?: { drop?: string[] } };
}
interface PodSpec {
  serviceAccountName?: string;
  securityContext?: { runAsNonRoot?: boolean; runAsUser?: number; seccompProfile?: { type: string } };
  containers: Container[];
  initContainers?: Container[];
  volumes?: { name: string; emptyDir?: object; secret?: { secretName: string } }[];
}
interface Workload extends Rendered { spec: { replicas?: number; template: { spec: PodSpec }; volumeClaimTemplates?: unknown[] } }
interface Rule { apiGroups: string[]; resources: string[]; verbs: string[] }
interface RoleLike extends Rendered { rules: Rule[] }

const workload = (objects: readonly Rendered[], kind: string, name: string): Workload => find(objects, kind, name) as Workload;
const env = (c: Container, name: string): EnvVar | undefined => c.env?.find((e) => e.name === name);
const containersOf = (w: Workload): Container[] => [...(w.spec.template.spec.initContainers ?? []), ...w.spec.template.spec.containers];

describe("charts/taskyard", () => {
  it("passes helm lint --strict", async () => {
    const helm = await findHelm();
    const lint = await runCommand(helm, ["lint", "--strict", "--kube-version", kubeVersion, chartDir]);
    assert.equal(lint.code, 0, lint.stdout + lint.stderr);
    assert.match(lint.stdout, /1 chart\(s\) linted, 0 chart\(s\) failed/);
  });

  it("renders the operator, Redis, console and CRDs by default", async () => {
    const objects = await render();
    const names = new Set(objects.map((o) => `${o.kind}/${o.metadata.name}`));
    for (const expected of [
      "Deployment/ty-taskyard-operator",
      "ServiceAccount/ty-taskyard-operator",
      "ClusterRole/ty-taskyard-operator",
      "ClusterRoleBinding/ty-taskyard-operator",
      "Role/ty-taskyard-operator-leader",
      "RoleBinding/ty-taskyard-operator-leader",
      "Service/ty-taskyard-operator-metrics",
      "PodDisruptionBudget/ty-taskyard-operator",
      "StatefulSet/ty-taskyard-redis",
      "Service/ty-taskyard-redis",
      "Secret/ty-taskyard-redis",
      "ConfigMap/ty-taskyard-redis",
      "Deployment/ty-taskyard-console",
      "Service/ty-taskyard-console",
      "Secret/ty-taskyard-console",
      "CustomResourceDefinition/taskqueues.taskyard.dev",
      "CustomResourceDefinition/workerpools.taskyard.dev",
      "CustomResourceDefinition/schedules.taskyard.dev",
    ]) {
      assert.ok(names.has(expected), `missing ${expected}; rendered: ${[...names].join(", ")}`);
    }
    assert.ok(!objects.some((o) => o.kind === "ServiceMonitor" || o.kind === "NetworkPolicy"), "ServiceMonitor and NetworkPolicy are opt-in");
    for (const o of objects.filter((x) => x.kind !== "CustomResourceDefinition" && !x.kind.startsWith("Cluster"))) {
      assert.equal(o.metadata.namespace, "taskyard-system", `${o.kind}/${o.metadata.name} is in the release namespace`);
    }
  });

  it("runs two operator replicas with leader election on a Lease in the release namespace", async () => {
    const op = workload(await render(), "Deployment", "ty-taskyard-operator");
    assert.equal(op.spec.replicas, 2);
    const c = op.spec.template.spec.containers[0];
    assert.ok(c);
    assert.equal(c.image, "taskyard/operator:dev");
    assert.equal(env(c, "TASKYARD_LEADER_ELECT")?.value, "true");
    assert.equal(env(c, "TASKYARD_LEASE_NAMESPACE")?.value, "taskyard-system");
    assert.equal(env(c, "TASKYARD_LEASE_NAME")?.value, "ty-taskyard-operator");
    assert.equal(env(c, "TASKYARD_RUNTIME_IMAGE")?.value, "taskyard/worker-runtime:dev");
    assert.deepEqual(env(c, "POD_NAMESPACE")?.valueFrom, { fieldRef: { fieldPath: "metadata.namespace" } } as unknown);
  });

  it("never pulls: fixed tags with imagePullPolicy IfNotPresent on every container", async () => {
    const objects = await render();
    const workloads = objects.filter((o) => o.kind === "Deployment" || o.kind === "StatefulSet") as Workload[];
    assert.equal(workloads.length, 3);
    for (const w of workloads) {
      for (const c of containersOf(w)) {
        assert.equal(c.imagePullPolicy, "IfNotPresent", `${w.metadata.name}/${c.name}`);
        assert.doesNotMatch(c.image, /:latest$|^[^:]+$/, `${w.metadata.name}/${c.name} has a fixed tag`);
      }
    }
    const tagged = await render({ "image.tag": "1.2.3", "runtime.image.tag": "9.9.9" });
    const op = workload(tagged, "Deployment", "ty-taskyard-operator").spec.template.spec.containers[0];
    assert.equal(op?.image, "taskyard/operator:1.2.3");
    assert.equal(op && env(op, "TASKYARD_RUNTIME_IMAGE")?.value, "taskyard/worker-runtime:9.9.9");
    assert.equal(workload(tagged, "Deployment", "ty-taskyard-console").spec.template.spec.containers[0]?.image, "taskyard/console:1.2.3");
  });

  it("runs every pod under the restricted Pod Security Standard", async () => {
    const workloads = (await render()).filter((o) => o.kind === "Deployment" || o.kind === "StatefulSet") as Workload[];
    for (const w of workloads) {
      const pod = w.spec.template.spec;
      assert.equal(pod.securityContext?.runAsNonRoot, true, w.metadata.name);
      assert.equal(pod.securityContext?.runAsUser, 1000, w.metadata.name);
      assert.equal(pod.securityContext?.seccompProfile?.type, "RuntimeDefault", w.metadata.name);
      for (const c of containersOf(w)) {
        assert.equal(c.securityContext?.readOnlyRootFilesystem, true, `${w.metadata.name}/${c.name}`);
        assert.equal(c.securityContext?.allowPrivilegeEscalation, false, `${w.metadata.name}/${c.name}`);
        assert.deepEqual(c.securityContext?.capabilities?.drop, ["ALL"], `${w.metadata.name}/${c.name}`);
      }
    }
  });

  it("grants the operator only the verbs operator/README.md lists, with no wildcards", async () => {
    const objects = await render();
    const role = find(objects, "ClusterRole", "ty-taskyard-operator") as RoleLike;
    for (const rule of role.rules) {
      for (const field of [rule.apiGroups, rule.resources, rule.verbs]) assert.ok(!field.includes("*"), `wildcard in ${JSON.stringify(rule)}`);
    }
    const verbsOf = (group: string, resource: string): string[] =>
      role.rules.filter((r) => r.apiGroups.includes(group) && r.resources.includes(resource)).flatMap((r) => r.verbs).sort();
    assert.deepEqual(verbsOf("", "secrets"), ["get"], "a TaskQueue's Secret is read by name, Secrets are never listed");
    assert.deepEqual(verbsOf("taskyard.dev", "workerpools/status"), ["get", "patch", "update"]);
    assert.ok(verbsOf("taskyard.dev", "taskqueues").every((v) => v !== "create" && v !== "delete"), "the operator never creates or deletes users' resources");
    assert.deepEqual(verbsOf("apps", "deployments"), ["create", "delete", "get", "list", "patch", "update", "watch"]);
    assert.deepEqual(verbsOf("", "pods"), ["get", "list", "patch", "watch"]);
    assert.deepEqual(verbsOf("coordination.k8s.io", "leases"), [], "Leases only through the namespaced Role");
    const leader = find(objects, "Role", "ty-taskyard-operator-leader") as RoleLike;
    assert.equal(leader.metadata.namespace, "taskyard-system");
    assert.deepEqual(leader.rules.map((r) => [r.resources, r.verbs]), [[["leases"], ["get", "create", "update"]]]);
    const console = find(objects, "ClusterRole", "ty-taskyard-console") as RoleLike;
    assert.deepEqual(console.rules, [{ apiGroups: ["taskyard.dev"], resources: ["schedules"], verbs: ["get", "list", "watch"] }]);
  });

  it("limits RBAC to one namespace with operator.watchNamespace", async () => {
    const objects = await render({ "operator.watchNamespace": "apps" });
    assert.ok(!objects.some((o) => o.kind === "ClusterRole" || o.kind === "ClusterRoleBinding"), "no cluster-wide grants");
    assert.equal(find(objects, "Role", "ty-taskyard-operator").metadata.namespace, "apps");
    assert.equal(find(objects, "RoleBinding", "ty-taskyard-operator").metadata.namespace, "apps");
    assert.equal(find(objects, "Role", "ty-taskyard-console").metadata.namespace, "apps");
    const c = workload(objects, "Deployment", "ty-taskyard-operator").spec.template.spec.containers[0];
    assert.equal(c && env(c, "TASKYARD_WATCH_NAMESPACE")?.value, "apps");
  });

  it("gates the CRDs on crds.install and keeps them on uninstall with crds.keep", async () => {
    const crds = (await render()).filter((o) => o.kind === "CustomResourceDefinition");
    assert.equal(crds.length, 3);
    for (const crd of crds) assert.equal(crd.metadata.annotations?.["helm.sh/resource-policy"], "keep");
    const notKept = (await render({ "crds.keep": "false" })).filter((o) => o.kind === "CustomResourceDefinition");
    assert.equal(notKept.length, 3);
    for (const crd of notKept) assert.equal(crd.metadata.annotations?.["helm.sh/resource-policy"], undefined);
    assert.equal((await render({ "crds.install": "false" })).filter((o) => o.kind === "CustomResourceDefinition").length, 0);
  });

  it("runs Redis with AOF on and its password only in a Secret", async () => {
    const objects = await render({ "redis.auth.password": "s3cretPass" });
    const secret = find(objects, "Secret", "ty-taskyard-redis") as Rendered & { data: Record<string, string> };
    assert.equal(Buffer.from(secret.data["password"] ?? "", "base64").toString(), "s3cretPass");
    const conf = (find(objects, "ConfigMap", "ty-taskyard-redis") as Rendered & { data: Record<string, string> }).data["redis.conf"] ?? "";
    assert.match(conf, /^appendonly yes$/m);
    assert.match(conf, /^maxmemory-policy noeviction$/m);
    for (const o of objects.filter((x) => x.kind !== "Secret")) {
      assert.ok(!JSON.stringify(o).includes("s3cretPass"), `${o.kind}/${o.metadata.name} must not contain the password`);
    }
    const sts = workload(objects, "StatefulSet", "ty-taskyard-redis");
    assert.equal(sts.spec.template.spec.containers[0]?.image, "taskyard/redis:bookworm-7.0");
    assert.deepEqual(env(sts.spec.template.spec.initContainers?.[0] as Container, "REDIS_PASSWORD")?.valueFrom, { secretKeyRef: { name: "ty-taskyard-redis", key: "password" } });
    const op = workload(objects, "Deployment", "ty-taskyard-operator").spec.template.spec.containers[0] as Container;
    assert.equal(env(op, "TASKYARD_REDIS_URL")?.value, "redis://:$(TASKYARD_REDIS_PASSWORD)@ty-taskyard-redis.taskyard-system.svc:6379");
    const names = (op.env ?? []).map((e) => e.name);
    assert.ok(names.indexOf("TASKYARD_REDIS_PASSWORD") < names.indexOf("TASKYARD_REDIS_URL"), "the password is defined before the URL that expands it");

    const generated = find(await render(), "Secret", "ty-taskyard-redis") as Rendered & { data: Record<string, string> };
    assert.match(Buffer.from(generated.data["password"] ?? "", "base64").toString(), /^[A-Za-z0-9]{32}$/, "a random password when none is given");
    const aofOff = find(await render({ "redis.appendOnly": "false" }), "ConfigMap", "ty-taskyard-redis") as Rendered & { data: Record<string, string> };
    assert.match(aofOff.data["redis.conf"] ?? "", /^appendonly no$/m);
  });

  it("stores Redis data in a PersistentVolumeClaim when redis.persistence.enabled", async () => {
    const sts = workload(await render({ "redis.persistence.enabled": "true", "redis.persistence.size": "5Gi" }), "StatefulSet", "ty-taskyard-redis");
    assert.equal(sts.spec.volumeClaimTemplates?.length, 1);
    assert.ok(!sts.spec.template.spec.volumes?.some((v) => v.name === "data"), "no emptyDir for data");
    assert.ok(workload(await render(), "StatefulSet", "ty-taskyard-redis").spec.template.spec.volumes?.some((v) => v.name === "data" && v.emptyDir));
  });

  it("uses an external Redis instead when redis.enabled is false", async () => {
    const objects = await render({ "redis.enabled": "false", "externalRedis.existingSecret": "my-redis", "externalRedis.existingSecretKey": "uri" });
    assert.ok(!objects.some((o) => o.metadata.name.startsWith("ty-taskyard-redis")), "no Redis objects");
    for (const name of ["ty-taskyard-operator", "ty-taskyard-console"]) {
      const c = workload(objects, "Deployment", name).spec.template.spec.containers[0] as Container;
      assert.deepEqual(env(c, "TASKYARD_REDIS_URL")?.valueFrom, { secretKeyRef: { name: "my-redis", key: "uri" } }, name);
    }
    const missing = await tryRender({ "redis.enabled": "false" });
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr, /externalRedis has neither url nor existingSecret/);
  });

  it("runs the console behind a Service with its token from a Secret file", async () => {
    const objects = await render({ "console.auth.token": "tok-123", "console.service.type": "NodePort", "console.service.nodePort": "30555" });
    const token = find(objects, "Secret", "ty-taskyard-console") as Rendered & { data: Record<string, string> };
    assert.equal(Buffer.from(token.data["token"] ?? "", "base64").toString(), "tok-123");
    const dep = workload(objects, "Deployment", "ty-taskyard-console");
    const c = dep.spec.template.spec.containers[0] as Container;
    assert.equal(env(c, "TASKYARD_CONSOLE_TOKEN_FILE")?.value, "/var/run/taskyard-console/token");
    assert.equal(env(c, "TASKYARD_CONSOLE_TOKEN"), undefined, "the token is never a plain env value");
    assert.ok(dep.spec.template.spec.volumes?.some((v) => v.secret?.secretName === "ty-taskyard-console"));
    const svc = find(objects, "Service", "ty-taskyard-console") as Rendered & { spec: { type: string; ports: { nodePort?: number; port: number }[] } };
    assert.equal(svc.spec.type, "NodePort");
    assert.equal(svc.spec.ports[0]?.nodePort, 30555);
    const off = await render({ "console.enabled": "false" });
    assert.ok(!off.some((o) => o.metadata.name.startsWith("ty-taskyard-console")));
  });

  it("adds a ServiceMonitor and NetworkPolicies when enabled", async () => {
    const objects = await render({ "serviceMonitor.enabled": "true", "networkPolicy.enabled": "true" });
    const sm = find(objects, "ServiceMonitor", "ty-taskyard-operator") as Rendered & { spec: { endpoints: { port: string; path: string }[] } };
    assert.deepEqual(sm.spec.endpoints.map((e) => [e.port, e.path]), [["http", "/metrics"]]);
    const redisPolicy = find(objects, "NetworkPolicy", "ty-taskyard-redis") as Rendered & { spec: { ingress: { from: { podSelector?: { matchLabels: Record<string, string> } }[] }[] } };
    const allowed = redisPolicy.spec.ingress[0]?.from.map((f) => f.podSelector?.matchLabels) ?? [];
    assert.deepEqual(allowed, [
      { "app.kubernetes.io/instance": "ty", "app.kubernetes.io/part-of": "taskyard" },
      { "app.kubernetes.io/managed-by": "taskyard-operator" },
    ]);
    assert.equal(objects.filter((o) => o.kind === "NetworkPolicy").length, 3);
  });

  it("rejects invalid values through values.schema.json, naming the field", async () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{ "operator.replicas": "0" }, /operator\/replicas/],
      [{ "redis.appendfsync": "sometimes" }, /redis\/appendfsync/],
      [{ "operator.replica": "3" }, /replica/],
      [{ "console.service.type": "Ingress" }, /console\/service\/type/],
      [{ "image.pullPolicy": "Sometimes" }, /image\/pullPolicy/],
      [{ "externalRedis.url": "http://example" }, /externalRedis\/url/],
    ];
    for (const [set, field] of cases) {
      const result = await tryRender(set);
      assert.notEqual(result.code, 0, `${JSON.stringify(set)} must be rejected`);
      assert.match(result.stderr, field, `${JSON.stringify(set)}: ${result.stderr}`);
    }
  });
});
