// The generated CRDs (crds/*.yaml) on a real API server: they install, the samples in
// examples/k8s are accepted, and invalid objects are rejected with the offending field named.
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { after, before, describe, test } from "node:test";
import { createTestNamespace, kubectl, testCluster, tryKubectl, type TestNamespace } from "../src/index.js";

const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));
const crdDir = `${repoRoot}crds`;
const examplesDir = `${repoRoot}examples/k8s`;
const crdFiles = readdirSync(crdDir).filter((file) => file.endsWith(".yaml")).sort();

interface SchemaNode {
  type?: string;
  properties?: Record<string, SchemaNode>;
}

interface CrdJson {
  spec: {
    group: string;
    names: { kind: string };
    versions: { name: string; storage: boolean; schema: { openAPIV3Schema: SchemaNode } }[];
  };
}

/** Depth-first path (through object properties only) to the first integer field under `spec`. */
function findIntegerPath(node: SchemaNode, path: string[]): string[] | undefined {
  if (node.type === "integer") return path;
  for (const [name, child] of Object.entries(node.properties ?? {})) {
    const found = findIntegerPath(child, [...path, name]);
    if (found !== undefined) return found;
  }
  return undefined;
}

function nestedObject(path: readonly string[], leaf: unknown): Record<string, unknown> {
  const [head, ...rest] = path;
  if (head === undefined) throw new Error("empty path");
  return { [head]: rest.length === 0 ? leaf : nestedObject(rest, leaf) };
}

const cluster = testCluster();
let namespace: TestNamespace;
const crdNames: string[] = [];

describe("generated CRDs on a real API server", () => {
  before(async () => {
    assert.ok(crdFiles.length > 0, `no CRD manifests in ${crdDir}: run make crds`);
    for (const file of crdFiles) {
      const applied = await kubectl(cluster, ["apply", "--server-side", "--field-manager=taskyard-e2e", "-o", "name", "-f", `${crdDir}/${file}`]);
      crdNames.push(applied.trim());
    }
    await kubectl(cluster, ["wait", "--for=condition=Established", "--timeout=60s", ...crdNames]);
    namespace = await createTestNamespace(cluster, "crds");
  });

  after(async () => {
    await namespace?.remove();
  });

  test("every CRD in crds/ is established with group taskyard.dev", async () => {
    assert.equal(crdNames.length, crdFiles.length);
    for (const name of crdNames) {
      const group = await kubectl(cluster, ["get", name, "-o", "jsonpath={.spec.group}"]);
      assert.equal(group, "taskyard.dev", `${name} has group ${group}`);
    }
  });

  test("the samples in examples/k8s are accepted and read back", async () => {
    const samples = readdirSync(examplesDir).filter((file) => file.endsWith(".yaml"));
    assert.ok(samples.length > 0, `no samples in ${examplesDir}`);
    const created = await kubectl(cluster, ["apply", "--server-side", "--field-manager=taskyard-e2e", "-n", namespace.name, "-o", "name", "-f", examplesDir]);
    const names = created.trim().split("\n");
    assert.equal(names.length, samples.length, `applied ${created}`);
    for (const name of names) {
      const kind = await kubectl(cluster, ["get", name, "-n", namespace.name, "-o", "jsonpath={.kind}"]);
      assert.match(name.toLowerCase(), new RegExp(`^${kind.toLowerCase()}s?\\.`));
    }
  });

  test("a value of the wrong type is rejected, naming the field", async () => {
    for (const name of crdNames) {
      const crd = JSON.parse(await kubectl(cluster, ["get", name, "-o", "json"])) as CrdJson;
      const version = crd.spec.versions.find((v) => v.storage);
      assert.ok(version, `${name} has no storage version`);
      const specSchema = version.schema.openAPIV3Schema.properties?.["spec"];
      assert.ok(specSchema, `${name} has no spec schema`);
      const path = findIntegerPath(specSchema, ["spec"]);
      if (path === undefined) continue; // a kind with no integer field has nothing of this sort to reject
      const object = {
        apiVersion: `${crd.spec.group}/${version.name}`,
        kind: crd.spec.names.kind,
        metadata: { name: "wrong-type", namespace: namespace.name },
        ...nestedObject(path, "not-a-number"),
      };
      const result = await tryKubectl(cluster, ["create", "-f", "-"], { input: JSON.stringify(object) });
      assert.notEqual(result.code, 0, `${crd.spec.names.kind} with ${path.join(".")}="not-a-number" was accepted`);
      assert.ok(result.stderr.includes(path.join(".")), `error does not name ${path.join(".")}: ${result.stderr}`);
      assert.match(result.stderr, /must be of type integer/);
    }
  });

  test("a WorkerPool with minReplicas above maxReplicas is rejected by its CEL rule", async () => {
    const sample = JSON.parse(
      await kubectl(cluster, ["create", "--dry-run=client", "-o", "json", "-f", `${examplesDir}/workerpool-autoscaled.yaml`]),
    ) as { metadata: Record<string, unknown>; spec: { autoscaling: { minReplicas: number; maxReplicas: number } } };
    sample.metadata = { name: "min-above-max", namespace: namespace.name };
    sample.spec.autoscaling.minReplicas = sample.spec.autoscaling.maxReplicas + 1;
    const result = await tryKubectl(cluster, ["create", "-f", "-"], { input: JSON.stringify(sample) });
    assert.notEqual(result.code, 0, "minReplicas > maxReplicas was accepted");
    assert.match(result.stderr, /spec\.autoscaling/);
    assert.match(result.stderr, /minReplicas/);
    const listed = await kubectl(cluster, ["get", "workerpools", "-n", namespace.name, "-o", "name"]);
    assert.doesNotMatch(listed, /min-above-max/);
  });
});
