import { kubectl, tryKubectl } from "../src/kubectl.js";
import type { CommandResult } from "../src/run-command.js";
import type { TestCluster } from "../src/test-cluster.js";

/** The few fields of Kubernetes objects the suite reads. */
export interface KubeObject {
  metadata: { name: string; namespace?: string; uid?: string; labels?: Record<string, string>; annotations?: Record<string, string>; deletionTimestamp?: string };
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
}
export interface KubeList<T extends KubeObject = KubeObject> { items: T[] }
export interface PodObject extends KubeObject {
  spec: { containers: { name: string; image: string }[] };
  status: { phase?: string; conditions?: { type: string; status: string }[] };
}
export interface DeploymentObject extends KubeObject {
  spec: { replicas?: number; template: { spec: { containers: { name: string; image: string; env?: { name: string; value?: string }[] }[] } } };
  status: { replicas?: number; readyReplicas?: number; updatedReplicas?: number; observedGeneration?: number };
}

/** kubectl bound to one cluster, with JSON helpers. */
export class Kube {
  constructor(readonly cluster: TestCluster) {}

  run(args: readonly string[], input?: string): Promise<string> {
    return kubectl(this.cluster, args, input === undefined ? {} : { input });
  }

  try(args: readonly string[], input?: string): Promise<CommandResult> {
    return tryKubectl(this.cluster, args, input === undefined ? {} : { input });
  }

  async json<T>(args: readonly string[]): Promise<T> {
    return JSON.parse(await this.run([...args, "-o", "json"])) as T;
  }

  /** The object, or undefined when it does not exist. */
  async maybe<T extends KubeObject>(namespace: string, kind: string, name: string): Promise<T | undefined> {
    const result = await this.try(["-n", namespace, "get", kind, name, "-o", "json"]);
    if (result.code !== 0) {
      if (/NotFound|not found/.test(result.stderr)) return undefined;
      throw new Error(`kubectl get ${kind} ${name}: ${result.stderr.trim()}`);
    }
    return JSON.parse(result.stdout) as T;
  }

  async list<T extends KubeObject>(namespace: string, kind: string, selector?: string): Promise<T[]> {
    const args = ["-n", namespace, "get", kind, ...(selector ? ["-l", selector] : [])];
    return (await this.json<KubeList<T>>(args)).items;
  }

  apply(namespace: string, manifest: string): Promise<string> {
    return this.run(["-n", namespace, "apply", "-f", "-"], manifest);
  }
}

export function isReady(pod: PodObject): boolean {
  return pod.status.phase === "Running" && (pod.status.conditions ?? []).some((c) => c.type === "Ready" && c.status === "True");
}
