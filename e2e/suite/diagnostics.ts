import type { Kube } from "./kube.js";

/**
 * What a failing phase prints: the operator's logs, the workers' and beat pods' logs, pods and
 * events of both namespaces, so a failure can be read from CI output alone.
 */
export async function printDiagnostics(kube: Kube, systemNamespace: string, namespace: string, phase: string): Promise<void> {
  const sections: [string, string[]][] = [
    ["pods", ["get", "pods", "-A", "-o", "wide"]],
    ["taskyard resources", ["-n", namespace, "get", "taskqueues,workerpools,schedules,deployments,cronjobs,jobs", "-o", "wide"]],
    ["operator logs", ["-n", systemNamespace, "logs", "-l", "app.kubernetes.io/component=operator", "--all-containers", "--prefix", "--tail", "150"]],
    ["worker and beat pod logs", ["-n", namespace, "logs", "-l", "app.kubernetes.io/managed-by=taskyard-operator", "--all-containers", "--prefix", "--tail", "60", "--max-log-requests", "20"]],
    ["events (workload namespace)", ["-n", namespace, "get", "events", "--sort-by", ".lastTimestamp"]],
    ["events (system namespace)", ["-n", systemNamespace, "get", "events", "--sort-by", ".lastTimestamp"]],
  ];
  let out = `\n===== diagnostics after failed phase: ${phase} =====\n`;
  for (const [title, args] of sections) {
    const result = await kube.try(args).catch((error: unknown) => ({ code: 1, stdout: "", stderr: String(error) }));
    out += `----- ${title} -----\n${result.stdout}${result.stderr ? `[stderr] ${result.stderr}` : ""}\n`;
  }
  process.stderr.write(`${out}===== end of diagnostics =====\n`);
}
