import { randomBytes } from "node:crypto";
import { kubectl } from "./kubectl.js";
import type { TestCluster } from "./test-cluster.js";
import { waitUntil } from "./wait-until.js";

export interface TestNamespace {
  readonly name: string;
  /** Deletes the namespace and everything in it (does not wait for finalization). */
  remove(): Promise<void>;
}

/**
 * Creates a uniquely named namespace and waits for its default ServiceAccount, without which the
 * API server refuses pods.
 */
export async function createTestNamespace(cluster: TestCluster, prefix: string): Promise<TestNamespace> {
  const name = `${prefix}-${randomBytes(3).toString("hex")}`;
  await kubectl(cluster, ["create", "namespace", name]);
  await waitUntil(`ServiceAccount default in namespace ${name}`, async () => {
    await kubectl(cluster, ["get", "serviceaccount", "default", "-n", name]);
    return true;
  });
  return {
    name,
    remove: async () => {
      await kubectl(cluster, ["delete", "namespace", name, "--wait=false", "--ignore-not-found"]);
    },
  };
}
