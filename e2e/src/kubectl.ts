import { runCommand, type CommandResult, type RunOptions } from "./run-command.js";
import type { TestCluster } from "./test-cluster.js";

/** Runs kubectl against the test cluster; returns the full result, whatever the exit code. */
export function tryKubectl(cluster: TestCluster, args: readonly string[], options: RunOptions = {}): Promise<CommandResult> {
  return runCommand(cluster.kubectl, ["--kubeconfig", cluster.kubeconfig, ...args], options);
}

/** Runs kubectl and returns stdout; throws with the command and kubectl's stderr when it fails. */
export async function kubectl(cluster: TestCluster, args: readonly string[], options: RunOptions = {}): Promise<string> {
  const result = await tryKubectl(cluster, args, options);
  if (result.code !== 0) {
    throw new Error(`kubectl ${args.join(" ")} exited ${result.code}: ${result.stderr.trim()}`);
  }
  return result.stdout;
}
