import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { KubeConfig } from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';
import { bullDeadQueueName, bullQueueName, taskyardKeys, type QueueRef } from '@taskyard/api/wire';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { KubeClient } from '../../src/kube/kube-client.js';
import { collectionPath, objectPath, Resources, type ResourceType } from '../../src/kube/resource-paths.js';
import { OperatorProcess } from './operator-process.js';
import { REPO_ROOT } from './repo-root.js';
import { waitFor } from './wait-for.js';

export interface KubeObjectJson {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    uid?: string;
    generation?: number;
    resourceVersion?: string;
    finalizers?: string[];
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    ownerReferences?: { kind: string; name: string; uid: string; controller?: boolean }[];
    deletionTimestamp?: string;
  };
  spec?: Record<string, unknown> & { replicas?: number };
  status?: Record<string, unknown> & { conditions?: { type: string; status: string; reason?: string; message?: string; observedGeneration?: number }[] };
  [key: string]: unknown;
}

const kinds: Record<string, ResourceType> = {
  TaskQueue: Resources.taskQueue,
  WorkerPool: Resources.workerPool,
  Schedule: Resources.schedule,
  Deployment: Resources.deployment,
  CronJob: Resources.cronJob,
  Pod: Resources.pod,
  Secret: Resources.secret,
  Lease: Resources.lease,
  ConfigMap: { kind: 'ConfigMap', apiVersion: 'v1', plural: 'configmaps' },
};

/** Plain JSON of every YAML document in a text (client-node's loader renames fields for its models). */
function loadAllYaml(text: string): unknown[] {
  return parseAllDocuments(text).map((d) => d.toJSON() as unknown);
}

/** Reads env the kube tests need, failing with what to run when it is missing. */
function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run kube tests through \`make test-kube\` (scripts/with-cluster.sh control-plane scripts/with-redis.sh ...)`);
  return value;
}

/**
 * One test's world on the control-plane tier: its own namespace, the CRDs installed, a real Redis with a
 * random key prefix, and operator processes started against that namespace only.
 */
export class KubeHarness {
  readonly client: KubeClient;
  readonly namespace: string;
  readonly prefix: string;
  readonly redisUrl: string;
  readonly redis: Redis;
  readonly #operators: OperatorProcess[] = [];
  readonly #queues: Queue[] = [];
  readonly #extraNamespaces: string[] = [];

  private constructor(client: KubeClient, namespace: string, redisUrl: string) {
    this.client = client;
    this.namespace = namespace;
    this.redisUrl = redisUrl;
    this.prefix = `tyt${randomBytes(3).toString('hex')}`;
    this.redis = new Redis(redisUrl);
  }

  static async create(label: string): Promise<KubeHarness> {
    requireEnv('KUBECONFIG');
    const redisUrl = requireEnv('REDIS_URL');
    const kc = new KubeConfig();
    kc.loadFromDefault();
    const client = new KubeClient(kc);
    const namespace = `ty-${label}-${randomBytes(3).toString('hex')}`;
    await installCrds(client);
    await client.create('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } }, 'taskyard-tests');
    return new KubeHarness(client, namespace, redisUrl);
  }

  /**
   * Starts an operator watching this namespace (or every namespace with `allNamespaces`; its Lease is in this
   * one either way); resolves once it reports its port.
   */
  async startOperator(extraArgs: string[] = [], env: Record<string, string> = {}, options: { allNamespaces?: boolean } = {}): Promise<OperatorProcess> {
    const op = new OperatorProcess(
      [
        ...(options.allNamespaces ? [] : ['--namespace', this.namespace]),
        '--lease-namespace', this.namespace,
        '--http-port', '0',
        '--redis-url', this.redisUrl,
        '--prefix', this.prefix,
        '--status-refresh-seconds', '2',
        ...extraArgs,
      ],
      env,
    );
    this.#operators.push(op);
    await waitFor('operator HTTP port', () => op.port !== undefined, 30_000, 50);
    return op;
  }

  /** The queue `name` of the test's namespace (or of `namespace`). */
  ref(name: string, namespace = this.namespace): QueueRef {
    return { namespace, name };
  }

  /** Taskyard's key names under the test's prefix. */
  get keys() {
    return taskyardKeys(this.prefix);
  }

  /** The BullMQ queue of a Taskyard queue (its dead letters with `dead`) on the test's Redis and prefix (closed at cleanup). */
  queue(name: string, options: { dead?: boolean; namespace?: string } = {}): Queue {
    const ref = this.ref(name, options.namespace);
    const q = new Queue(options.dead ? bullDeadQueueName(ref) : bullQueueName(ref), { connection: { url: this.redisUrl }, prefix: this.prefix });
    this.#queues.push(q);
    return q;
  }

  /** A second namespace for this test (deleted at cleanup with everything in it). */
  async extraNamespace(label: string): Promise<string> {
    const namespace = `${this.namespace}-${label}`;
    await this.client.create('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } }, 'taskyard-tests');
    this.#extraNamespaces.push(namespace);
    return namespace;
  }

  /** Creates an object in another namespace of this test. */
  async createIn(namespace: string, object: Record<string, unknown> & { kind: string }): Promise<KubeObjectJson> {
    const type = kinds[object.kind];
    if (!type) throw new Error(`unknown kind ${object.kind}`);
    const meta = { ...(object.metadata as Record<string, unknown>), namespace };
    return this.client.create<KubeObjectJson>(collectionPath(type, namespace), { ...object, metadata: meta }, 'taskyard-tests', 'Strict');
  }

  path(kind: string, name: string, subresource?: string): string {
    const type = kinds[kind];
    if (!type) throw new Error(`unknown kind ${kind}`);
    return objectPath(type, this.namespace, name, subresource);
  }

  /** Creates an object (its namespace set to the test's) with strict field validation, as kubectl does. */
  async create(object: Record<string, unknown> & { kind: string }): Promise<KubeObjectJson> {
    const type = kinds[object.kind];
    if (!type) throw new Error(`unknown kind ${object.kind}`);
    const meta = { ...(object.metadata as Record<string, unknown>), namespace: this.namespace };
    return this.client.create<KubeObjectJson>(collectionPath(type, this.namespace), { ...object, metadata: meta }, 'taskyard-tests', 'Strict');
  }

  /** Merge-patches an object's spec or metadata as a user would. */
  async patch(kind: string, name: string, patch: unknown): Promise<KubeObjectJson> {
    return this.client.mergePatch<KubeObjectJson>(this.path(kind, name), patch, 'taskyard-tests');
  }

  async get(kind: string, name: string): Promise<KubeObjectJson | undefined> {
    return this.client.getOrUndefined<KubeObjectJson>(this.path(kind, name));
  }

  async list(kind: string, labelSelector?: string, namespace = this.namespace): Promise<KubeObjectJson[]> {
    const type = kinds[kind];
    if (!type) throw new Error(`unknown kind ${kind}`);
    const list = await this.client.get<{ items: KubeObjectJson[] }>(collectionPath(type, namespace), labelSelector ? { labelSelector } : undefined);
    return list.items;
  }

  async delete(kind: string, name: string): Promise<void> {
    await this.client.delete(this.path(kind, name));
  }

  #namespaces(): string[] {
    return [this.namespace, ...this.#extraNamespaces];
  }

  /** Events about one object, newest last. */
  async events(name: string): Promise<{ reason: string; message: string; type: string }[]> {
    const list = await this.client.get<{ items: { reason: string; message: string; type: string; involvedObject: { name: string } }[] }>(
      collectionPath(Resources.event, this.namespace),
    );
    return list.items.filter((e) => e.involvedObject.name === name);
  }

  /** Deletes the Taskyard objects while an operator still runs (finalizers), then stops operators and the namespace. */
  async cleanup(): Promise<void> {
    try {
      for (const ns of this.#namespaces()) {
        for (const kind of ['Schedule', 'WorkerPool', 'TaskQueue']) {
          for (const o of await this.list(kind, undefined, ns)) await this.client.delete(objectPath(kinds[kind] as ResourceType, ns, o.metadata.name));
        }
      }
      const running = this.#operators.some((o) => o.pid !== undefined);
      if (running) {
        await waitFor('Taskyard objects gone', async () => {
          for (const ns of this.#namespaces()) for (const kind of ['Schedule', 'TaskQueue']) if ((await this.list(kind, undefined, ns)).length > 0) return false;
          return true;
        }, 30_000).catch(() => undefined);
      }
    } finally {
      for (const op of this.#operators) await op.stop();
      for (const ns of this.#namespaces()) {
        for (const kind of ['Schedule', 'TaskQueue']) {
          for (const o of await this.list(kind, undefined, ns).catch(() => [])) {
            if (o.metadata.finalizers?.length) {
              await this.client.mergePatch(objectPath(kinds[kind] as ResourceType, ns, o.metadata.name), { metadata: { finalizers: null } }, 'taskyard-tests').catch(() => undefined);
            }
          }
        }
        await this.client.delete(`/api/v1/namespaces/${ns}`);
      }
      await Promise.all(this.#queues.map((q) => q.close()));
      const keys = await this.redis.keys(`${this.prefix}:*`);
      if (keys.length > 0) await this.redis.del(...keys);
      this.redis.disconnect();
      this.client.close();
    }
  }
}

/** Applies crds/*.yaml (server-side apply) and waits until they are established. */
export async function installCrds(client: KubeClient): Promise<void> {
  const dir = path.join(REPO_ROOT, 'crds');
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.yaml'))) {
    for (const doc of loadAllYaml(readFileSync(path.join(dir, file), 'utf8')) as KubeObjectJson[]) {
      if (!doc) continue;
      const name = doc.metadata.name;
      await client.apply(`/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${name}`, doc, 'taskyard-tests');
      await waitFor(`CRD ${name} established`, async () => {
        const crd = await client.get<KubeObjectJson>(`/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${name}`);
        return crd.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True');
      });
    }
  }
}

/** The sample manifests of examples/k8s, by file name. */
export function loadSamples(): Map<string, KubeObjectJson> {
  const dir = path.join(REPO_ROOT, 'examples/k8s');
  const samples = new Map<string, KubeObjectJson>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort()) {
    const [doc] = loadAllYaml(readFileSync(path.join(dir, file), 'utf8')) as KubeObjectJson[];
    if (doc) samples.set(file, doc);
  }
  return samples;
}

/** A condition of an object's status. */
export function condition(obj: KubeObjectJson | undefined, type: string) {
  return obj?.status?.conditions?.find((c) => c.type === type);
}
