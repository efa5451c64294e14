import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** What a test needs to use a cluster, the same on every tier (control plane, node, kind). */
export interface TestCluster {
  /** Admin kubeconfig path (KUBECONFIG). */
  readonly kubeconfig: string;
  /** kubectl binary matching the cluster's version (KUBECTL, else `kubectl` on PATH). */
  readonly kubectl: string;
  /** Command prefix that copies a docker image into the cluster (TASKYARD_LOAD_IMAGE). */
  readonly loadImage: readonly string[];
  /** docker CLI used to build test images (TASKYARD_DOCKER, else `docker`). */
  readonly docker: string;
  /** Locally built images (TASKYARD_*_IMAGE, else e2e/cluster/images.env). */
  readonly images: { readonly base: string; readonly pause: string; readonly redis: string };
}

const imagesEnvPath = fileURLToPath(new URL("../../cluster/images.env", import.meta.url));

function readImagesEnv(): Map<string, string> {
  const values = new Map<string, string>();
  for (const line of readFileSync(imagesEnvPath, "utf8").split("\n")) {
    const match = /^([A-Z_]+)=(.*)$/.exec(line.trim());
    if (match?.[1] !== undefined && match[2] !== undefined) values.set(match[1], match[2]);
  }
  return values;
}

function splitCommand(command: string): string[] {
  return command.split(/\s+/).filter((part) => part.length > 0);
}

/**
 * Reads the cluster a test runs against from the environment that scripts/with-cluster.sh
 * (or e2e/kind/kind-cluster env) exports. Throws naming the variable and the fix when it is missing.
 */
export function testCluster(env: NodeJS.ProcessEnv = process.env): TestCluster {
  const kubeconfig = env["KUBECONFIG"];
  if (kubeconfig === undefined || kubeconfig === "") {
    throw new Error(
      "KUBECONFIG is not set: run the tests through scripts/with-cluster.sh <tier> (or eval \"$(e2e/cluster/cluster env)\")",
    );
  }
  const fromFile = readImagesEnv();
  const image = (name: string): string => {
    const value = env[name] ?? fromFile.get(name);
    if (value === undefined || value === "") throw new Error(`${name} is not set in the environment nor in ${imagesEnvPath}`);
    return value;
  };
  return {
    kubeconfig,
    kubectl: env["KUBECTL"] ?? "kubectl",
    loadImage: splitCommand(env["TASKYARD_LOAD_IMAGE"] ?? ""),
    docker: env["TASKYARD_DOCKER"] ?? "docker",
    images: {
      base: image("TASKYARD_BASE_IMAGE"),
      pause: image("TASKYARD_PAUSE_IMAGE"),
      redis: image("TASKYARD_REDIS_IMAGE"),
    },
  };
}
