import { readFileSync, existsSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';

/** How to reach a Kubernetes API server. */
export interface KubeConnection {
  server: string;
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  /** Read on every request (projected service-account tokens rotate). */
  token?: () => string;
  insecureSkipTlsVerify: boolean;
  /** The namespace of the context / the pod, if known. */
  namespace?: string;
  /** Where it came from, for notes and logs. */
  origin: string;
}

const SA_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

interface KubeconfigFile {
  'current-context'?: string;
  contexts?: Array<{ name: string; context: { cluster: string; user?: string; namespace?: string } }>;
  clusters?: Array<{ name: string; cluster: { server: string; 'certificate-authority'?: string; 'certificate-authority-data'?: string; 'insecure-skip-tls-verify'?: boolean } }>;
  users?: Array<{ name: string; user: { token?: string; tokenFile?: string; 'client-certificate'?: string; 'client-certificate-data'?: string; 'client-key'?: string; 'client-key-data'?: string } }>;
}

/**
 * Finds the API server: the first file in $KUBECONFIG (its current context) when set, else the
 * in-cluster service account. Undefined when neither exists. Exec/auth-provider plugins are not
 * supported (the console uses tokens or client certificates).
 */
export function loadKubeConnection(env: NodeJS.ProcessEnv = process.env, saDir = SA_DIR): KubeConnection | undefined {
  const kubeconfig = env.KUBECONFIG?.split(':').find((p) => p !== '');
  if (kubeconfig) return fromKubeconfig(kubeconfig);
  if (env.KUBERNETES_SERVICE_HOST && existsSync(`${saDir}/token`)) {
    const host = env.KUBERNETES_SERVICE_HOST.includes(':') ? `[${env.KUBERNETES_SERVICE_HOST}]` : env.KUBERNETES_SERVICE_HOST;
    return {
      server: `https://${host}:${env.KUBERNETES_SERVICE_PORT ?? '443'}`,
      ...(existsSync(`${saDir}/ca.crt`) ? { ca: readFileSync(`${saDir}/ca.crt`) } : {}),
      token: () => readFileSync(`${saDir}/token`, 'utf8').trim(),
      insecureSkipTlsVerify: false,
      ...(existsSync(`${saDir}/namespace`) ? { namespace: readFileSync(`${saDir}/namespace`, 'utf8').trim() } : {}),
      origin: 'in-cluster service account',
    };
  }
  return undefined;
}

function fromKubeconfig(path: string): KubeConnection {
  let doc: KubeconfigFile;
  try {
    doc = parseYaml(readFileSync(path, 'utf8')) as KubeconfigFile;
  } catch (err) {
    throw new Error(`cannot read KUBECONFIG ${path}: ${(err as Error).message}`);
  }
  const contextName = doc['current-context'] ?? doc.contexts?.[0]?.name;
  const context = doc.contexts?.find((c) => c.name === contextName)?.context;
  if (!context) throw new Error(`KUBECONFIG ${path} has no context ${JSON.stringify(contextName)}; set current-context`);
  const cluster = doc.clusters?.find((c) => c.name === context.cluster)?.cluster;
  if (!cluster?.server) throw new Error(`KUBECONFIG ${path}: cluster ${JSON.stringify(context.cluster)} has no server`);
  const user = doc.users?.find((u) => u.name === context.user)?.user ?? {};
  const file = (p: string | undefined): Buffer | undefined => (p ? readFileSync(p) : undefined);
  const data = (d: string | undefined): Buffer | undefined => (d ? Buffer.from(d, 'base64') : undefined);
  const ca = data(cluster['certificate-authority-data']) ?? file(cluster['certificate-authority']);
  const cert = data(user['client-certificate-data']) ?? file(user['client-certificate']);
  const key = data(user['client-key-data']) ?? file(user['client-key']);
  const tokenFile = user.tokenFile;
  const staticToken = user.token;
  const token = staticToken !== undefined ? () => staticToken : tokenFile ? () => readFileSync(tokenFile, 'utf8').trim() : undefined;
  return {
    server: cluster.server.replace(/\/$/, ''),
    ...(ca ? { ca } : {}),
    ...(cert ? { cert } : {}),
    ...(key ? { key } : {}),
    ...(token ? { token } : {}),
    insecureSkipTlsVerify: cluster['insecure-skip-tls-verify'] === true,
    ...(context.namespace ? { namespace: context.namespace } : {}),
    origin: `KUBECONFIG ${path}`,
  };
}
