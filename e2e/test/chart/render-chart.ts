import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";
import { runCommand } from "../../src/run-command.js";
import { findHelm } from "./find-helm.js";

/** The chart under test. */
export const chartDir = fileURLToPath(new URL("../../../../charts/taskyard/", import.meta.url));

/** The Kubernetes version the chart is rendered for (the cluster's). */
export const kubeVersion = "1.37.2";

/** One rendered object, loosely typed: tests read fields by path. */
export interface Rendered {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly labels?: Record<string, string>; readonly annotations?: Record<string, string> };
  readonly [field: string]: unknown;
}

export interface RenderResult {
  readonly code: number;
  readonly stderr: string;
  readonly objects: readonly Rendered[];
}

/** `helm template` with `--set` pairs and extra flags; never throws on a helm failure (tests assert on it). */
export async function tryRender(set: Record<string, string> = {}, extra: readonly string[] = []): Promise<RenderResult> {
  const helm = await findHelm();
  const args = ["template", "ty", chartDir, "--namespace", "taskyard-system", "--kube-version", kubeVersion, ...extra];
  for (const [key, value] of Object.entries(set)) args.push("--set", `${key}=${value}`);
  const result = await runCommand(helm, args, { timeoutMs: 60_000 });
  const objects: Rendered[] = [];
  if (result.code === 0) {
    for (const doc of parseAllDocuments(result.stdout)) {
      if (doc.errors.length > 0) throw new Error(`helm template produced invalid YAML: ${doc.errors[0]?.message ?? ""}`);
      const value: unknown = doc.toJS();
      if (value !== null && typeof value === "object") objects.push(value as Rendered);
    }
  }
  return { code: result.code, stderr: result.stderr, objects };
}

/** `helm template`, failing with helm's message when it does not render. */
export async function render(set: Record<string, string> = {}, extra: readonly string[] = []): Promise<readonly Rendered[]> {
  const result = await tryRender(set, extra);
  if (result.code !== 0) throw new Error(`helm template ${JSON.stringify(set)} failed: ${result.stderr.trim()}`);
  return result.objects;
}

/** The one object of a kind and name; throws listing what was rendered when absent. */
export function find(objects: readonly Rendered[], kind: string, name: string): Rendered {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name}; rendered: ${objects.map((o) => `${o.kind}/${o.metadata.name}`).join(", ")}`);
  return found;
}
