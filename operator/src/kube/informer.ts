import { makeInformer, type KubernetesListObject, type KubernetesObject } from '@kubernetes/client-node';
import type { Logger } from '@taskyard/api';
import type { KubeClient } from './kube-client.js';
import type { KubeObject } from './kube-object.js';
import { collectionPath, type ResourceType } from './resource-paths.js';

export type InformerHandler<T> = (obj: T, event: 'add' | 'update' | 'delete') => void;

/**
 * A list+watch cache of one kind (client-node's ListWatch) that restarts its watch after errors with backoff,
 * and tells handlers about every add, update and delete.
 */
export class Informer<T extends KubeObject> {
  readonly type: ResourceType;
  readonly #client: KubeClient;
  readonly #log: Logger;
  readonly #handlers: InformerHandler<T>[] = [];
  readonly #inner: ReturnType<typeof makeInformer<KubernetesObject>>;
  #synced = false;
  #stopped = false;
  #failures = 0;
  #restartTimer: NodeJS.Timeout | undefined;

  readonly #trim: (obj: KubernetesObject) => void;

  /**
   * `trim` removes, in place, what reconcilers never read before an object is cached (managedFields always),
   * which keeps the operator's memory flat with many objects.
   */
  constructor(
    client: KubeClient,
    type: ResourceType,
    log: Logger,
    options: { namespace?: string | undefined; labelSelector?: string; trim?: (obj: KubernetesObject) => void } = {},
  ) {
    this.type = type;
    this.#client = client;
    this.#log = log;
    const extra = options.trim;
    this.#trim = (obj) => {
      if (obj.metadata) delete obj.metadata.managedFields;
      extra?.(obj);
    };
    const path = collectionPath(type, options.namespace);
    const listFn = () =>
      client.get<KubernetesListObject<KubernetesObject>>(path, options.labelSelector ? { labelSelector: options.labelSelector } : undefined).then((list) => {
        // Items of a list carry no apiVersion/kind; put them back so handlers and caches see whole objects.
        for (const item of list.items) {
          item.apiVersion ??= type.apiVersion;
          item.kind ??= type.kind;
          this.#trim(item);
        }
        return list;
      });
    this.#inner = makeInformer<KubernetesObject>(client.kubeConfig, path, listFn, options.labelSelector);
    this.#inner.on('add', (o) => this.#emit(o as T, 'add'));
    this.#inner.on('update', (o) => this.#emit(o as T, 'update'));
    this.#inner.on('delete', (o) => this.#emit(o as T, 'delete'));
    this.#inner.on('connect', () => {
      this.#failures = 0;
    });
    this.#inner.on('error', (error: unknown) => this.#restart(error));
  }

  on(handler: InformerHandler<T>): void {
    this.#handlers.push(handler);
  }

  /** Lists, starts watching, and resolves once the cache holds the first list (retrying until it does). */
  async start(): Promise<void> {
    this.#stopped = false;
    while (!this.#stopped) {
      let failed = false;
      const onError = () => {
        failed = true;
      };
      this.#inner.on('error', onError);
      await this.#inner.start();
      this.#inner.off('error', onError);
      if (!failed) {
        this.#synced = true;
        return;
      }
      await new Promise((r) => setTimeout(r, Math.min(5000, 200 * 2 ** Math.min(this.#failures++, 5))));
    }
  }

  get synced(): boolean {
    return this.#synced;
  }

  get(namespace: string, name: string): T | undefined {
    return this.#inner.get(name, namespace) as T | undefined;
  }

  list(namespace?: string): readonly T[] {
    return this.#inner.list(namespace) as readonly T[];
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#restartTimer);
    await this.#inner.stop();
  }

  #emit(obj: T, event: 'add' | 'update' | 'delete'): void {
    // Watch events reach here with the very object the cache stores: trimming it trims the cache.
    this.#trim(obj as KubernetesObject);
    obj.apiVersion ??= this.type.apiVersion;
    obj.kind ??= this.type.kind;
    for (const handler of this.#handlers) handler(obj, event);
  }

  #restart(error: unknown): void {
    if (this.#stopped || !this.#synced) return;
    const delay = Math.min(5000, 200 * 2 ** Math.min(this.#failures++, 5));
    this.#log.warn('watch ended with an error; restarting', { kind: this.type.kind, retryInMs: delay, error: String(error) });
    clearTimeout(this.#restartTimer);
    this.#restartTimer = setTimeout(() => {
      if (!this.#stopped) void this.#inner.start();
    }, delay);
    this.#restartTimer.unref();
  }
}
