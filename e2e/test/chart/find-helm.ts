import { accessSync, constants } from "node:fs";
import { fileURLToPath } from "node:url";
import { runCommand } from "../../src/run-command.js";

const clusterCli = fileURLToPath(new URL("../../../cluster/cluster", import.meta.url));

function isExecutable(path: string | undefined): path is string {
  if (path === undefined || path === "") return false;
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

async function helmFromClusterEnv(): Promise<string | undefined> {
  const env = await runCommand(clusterCli, ["env"], { timeoutMs: 30_000 });
  if (env.code !== 0) return undefined;
  const line = env.stdout.split("\n").find((l) => l.startsWith("export HELM="));
  return line?.slice("export HELM=".length).replace(/^'(.*)'$/, "$1");
}

/**
 * The Helm 3 binary the cluster helper builds from the Go module proxy (e2e/cluster/build/helm):
 * $HELM when set (scripts/with-cluster.sh exports it), else the path `e2e/cluster/cluster env`
 * names, built with `e2e/cluster/cluster build all` when it is not there yet (first run only).
 */
export async function findHelm(): Promise<string> {
  if (isExecutable(process.env["HELM"])) return process.env["HELM"];
  const cached = await helmFromClusterEnv();
  if (isExecutable(cached)) return cached;
  process.stderr.write(`{"level":"info","msg":"building helm (first run only)","component":"chart-tests","path":"${cached ?? "?"}"}\n`);
  const build = await runCommand(clusterCli, ["build", "all"], { timeoutMs: 60 * 60_000 });
  const built = await helmFromClusterEnv();
  if (isExecutable(built)) return built;
  throw new Error(
    `no helm binary: ${built ?? "e2e/cluster/cluster env"} is missing after \`e2e/cluster/cluster build all\` (exit ${build.code}): ${build.stderr.trim().split("\n").slice(-3).join(" | ")}`,
  );
}
