import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCommand } from "./run-command.js";
import type { TestCluster } from "./test-cluster.js";

/**
 * Builds a docker image FROM the project's base image (BASE_IMAGE build argument, nothing pulled)
 * with the given files, then hands it to the cluster's load-image hook.
 */
export async function buildTestImage(
  cluster: TestCluster,
  tag: string,
  dockerfile: string,
  files: Readonly<Record<string, string>> = {},
): Promise<void> {
  const context = await mkdtemp(join(tmpdir(), "taskyard-e2e-image-"));
  try {
    await writeFile(join(context, "Dockerfile"), dockerfile);
    for (const [name, content] of Object.entries(files)) await writeFile(join(context, name), content);
    const build = await runCommand(
      cluster.docker,
      ["build", "-q", "--build-arg", `BASE_IMAGE=${cluster.images.base}`, "-t", tag, context],
      { env: { ...process.env, DOCKER_BUILDKIT: "0" }, timeoutMs: 300_000 },
    );
    if (build.code !== 0) throw new Error(`docker build ${tag} failed: ${build.stderr.trim()}`);
  } finally {
    await rm(context, { recursive: true, force: true });
  }
  const [loader, ...loaderArgs] = cluster.loadImage;
  if (loader === undefined) {
    throw new Error("TASKYARD_LOAD_IMAGE is not set: it names the command that copies an image into the cluster");
  }
  const load = await runCommand(loader, [...loaderArgs, tag], { timeoutMs: 300_000 });
  if (load.code !== 0) throw new Error(`loading ${tag} into the cluster failed: ${load.stderr.trim()}`);
}
