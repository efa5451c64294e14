import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';

/** How the console reaches a Kubernetes API server: a client-node KubeConfig, and where it came from. */
export interface KubeConnection {
  kc: KubeConfig;
  /** The namespace of the current context / of the pod, if known. */
  namespace?: string;
  /** Where it came from, for notes and logs (never credentials). */
  origin: string;
}

const SA_TOKEN = '/var/run/secrets/kubernetes.io/serviceaccount/token';

/**
 * Finds the API server with @kubernetes/client-node's KubeConfig: the files in $KUBECONFIG (merged, the
 * first one's current context wins), else the pod's service account (`loadFromCluster`), else
 * ~/.kube/config. Undefined when there is none of these: the console then runs without Schedules.
 * `saRoot` prefixes the service-account paths (tests).
 */
export function loadKubeConnection(env: NodeJS.ProcessEnv = process.env, saRoot = ''): KubeConnection | undefined {
  const kc = new KubeConfig();
  const files = (env.KUBECONFIG ?? '').split(delimiter).filter((p) => p !== '');
  if (files.length > 0) {
    const present = files.filter((f) => existsSync(f));
    if (present.length === 0) throw new Error(`KUBECONFIG=${env.KUBECONFIG}: no such file; point it at a kubeconfig or unset it`);
    loadFiles(kc, present);
    return described(kc, `KUBECONFIG ${present.join(delimiter)}`);
  }
  if (env.KUBERNETES_SERVICE_HOST && existsSync(`${saRoot}${SA_TOKEN}`)) {
    kc.loadFromCluster(saRoot);
    return described(kc, 'in-cluster service account');
  }
  const home = join(env.HOME ?? homedir(), '.kube', 'config');
  if (env.HOME !== undefined && existsSync(home)) {
    loadFiles(kc, [home]);
    return described(kc, home);
  }
  return undefined;
}

function loadFiles(kc: KubeConfig, files: string[]): void {
  for (const [i, file] of files.entries()) {
    const one = i === 0 ? kc : new KubeConfig();
    try {
      one.loadFromFile(file);
    } catch (err) {
      throw new Error(`cannot read kubeconfig ${file}: ${(err as Error).message}`, { cause: err });
    }
    if (i > 0) kc.mergeConfig(one, true);
  }
}

function described(kc: KubeConfig, origin: string): KubeConnection {
  const name = kc.getCurrentContext();
  const context = kc.getContextObject(name);
  if (!context) throw new Error(`${origin} has no context ${JSON.stringify(name)}; set current-context`);
  if (!kc.getCurrentCluster()?.server) throw new Error(`${origin}: cluster ${JSON.stringify(context.cluster)} of context ${JSON.stringify(name)} has no server`);
  return { kc, ...(context.namespace ? { namespace: context.namespace } : {}), origin };
}
