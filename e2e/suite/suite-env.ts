import { fileURLToPath } from "node:url";
import { testCluster, type TestCluster } from "../src/test-cluster.js";

/** Names and paths the end-to-end suite uses, the same on every tier. */
export interface SuiteEnv {
  readonly cluster: TestCluster;
  /** Helm 3 binary ($HELM from scripts/with-cluster.sh, else `helm`). */
  readonly helm: string;
  /** Repository root. */
  readonly root: string;
  /** Helm release and its namespace. */
  readonly release: string;
  readonly systemNamespace: string;
  /** Namespace of the samples and the suite's own TaskQueues, WorkerPools and Schedules. */
  readonly namespace: string;
  /** Tag of the Taskyard images the suite builds and installs. */
  readonly imageTag: string;
}

export function suiteEnv(env: NodeJS.ProcessEnv = process.env): SuiteEnv {
  return {
    cluster: testCluster(env),
    helm: env["HELM"] ?? "helm",
    root: fileURLToPath(new URL("../../../", import.meta.url)),
    release: "taskyard",
    systemNamespace: "taskyard-e2e-system",
    namespace: "taskyard-e2e",
    imageTag: env["TASKYARD_IMAGE_TAG"] ?? "dev",
  };
}
