// What the operator relies on from the control-plane tier: server-side apply with field
// ownership, garbage collection through owner references, and CronJob -> Job.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createTestNamespace, kubectl, testCluster, tryKubectl, waitUntil, type TestNamespace } from "../src/index.js";

const cluster = testCluster();
let namespace: TestNamespace;

function configMap(name: string, data: Record<string, string>, extraMetadata: Record<string, unknown> = {}): string {
  return JSON.stringify({ apiVersion: "v1", kind: "ConfigMap", metadata: { name, namespace: namespace.name, ...extraMetadata }, data });
}

describe("control-plane tier", () => {
  before(async () => {
    namespace = await createTestNamespace(cluster, "control-plane");
  });

  after(async () => {
    await namespace?.remove();
  });

  test("server-side apply records field managers and reports conflicts", async () => {
    await kubectl(cluster, ["apply", "--server-side", "--field-manager=first", "-f", "-"], { input: configMap("ssa", { owner: "first" }) });
    const conflict = await tryKubectl(cluster, ["apply", "--server-side", "--field-manager=second", "-f", "-"], {
      input: configMap("ssa", { owner: "second" }),
    });
    assert.notEqual(conflict.code, 0, "a second manager took a field without --force-conflicts");
    assert.match(conflict.stderr, /conflict/i);
    assert.match(conflict.stderr, /\.data\.owner/);
    await kubectl(cluster, ["apply", "--server-side", "--force-conflicts", "--field-manager=second", "-f", "-"], {
      input: configMap("ssa", { owner: "second" }),
    });
    const managers = await kubectl(cluster, ["get", "configmap", "ssa", "-n", namespace.name, "--show-managed-fields", "-o", "jsonpath={.metadata.managedFields[*].manager}"]);
    assert.deepEqual(managers.split(" ").sort(), ["second"]);
    assert.equal(await kubectl(cluster, ["get", "configmap", "ssa", "-n", namespace.name, "-o", "jsonpath={.data.owner}"]), "second");
  });

  test("deleting an owner garbage-collects its dependents", async () => {
    await kubectl(cluster, ["create", "-f", "-"], { input: configMap("owner", { role: "owner" }) });
    const uid = await kubectl(cluster, ["get", "configmap", "owner", "-n", namespace.name, "-o", "jsonpath={.metadata.uid}"]);
    const ownerReferences = [{ apiVersion: "v1", kind: "ConfigMap", name: "owner", uid, controller: true, blockOwnerDeletion: true }];
    await kubectl(cluster, ["create", "-f", "-"], { input: configMap("dependent", { role: "dependent" }, { ownerReferences }) });
    await kubectl(cluster, ["delete", "configmap", "owner", "-n", namespace.name]);
    await waitUntil("the dependent ConfigMap to be garbage-collected", async () => {
      const result = await tryKubectl(cluster, ["get", "configmap", "dependent", "-n", namespace.name]);
      return result.code !== 0 && /NotFound/.test(result.stderr) ? true : undefined;
    });
  });

  test("a CronJob creates a Job owned by it", async () => {
    await kubectl(cluster, ["create", "cronjob", "tick", "-n", namespace.name, "--image", cluster.images.base, "--schedule", "* * * * *", "--", "true"]);
    const job = await waitUntil(
      "the CronJob's first Job",
      async () => {
        const owners = await kubectl(cluster, ["get", "jobs", "-n", namespace.name, "-o", "jsonpath={range .items[*]}{.metadata.name} {.metadata.ownerReferences[0].kind}/{.metadata.ownerReferences[0].name}{\"\\n\"}{end}"]);
        return owners.split("\n").find((line) => line.endsWith(" CronJob/tick"));
      },
      { timeoutMs: 180_000, intervalMs: 2_000 },
    );
    assert.match(job, /^tick-\d+ CronJob\/tick$/);
  });
});
