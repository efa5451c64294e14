import { randomBytes } from 'node:crypto';
import type { Logger } from '@taskyard/api';
import type { KubeClient } from './kube-client.js';
import type { KubeObject } from './kube-object.js';
import { collectionPath, Resources } from './resource-paths.js';

/** The same event about the same object is written once per this window (as client-go's event correlator). */
const DEDUPE_MS = 10 * 60_000;

/**
 * Writes core/v1 Events about Taskyard objects (`kubectl describe` shows them). Recording never fails a
 * reconcile: an Event that cannot be written is logged and dropped.
 */
export class EventRecorder {
  readonly #client: KubeClient;
  readonly #log: Logger;
  readonly #component: string;
  readonly #host: string;
  /** Last time each (object, type, reason, message) was recorded: repeats within DEDUPE_MS are dropped. */
  readonly #recent = new Map<string, number>();
  readonly #pending = new Set<Promise<void>>();

  constructor(client: KubeClient, log: Logger, component = 'taskyard-operator', host = process.env.POD_NAME ?? 'local') {
    this.#client = client;
    this.#log = log;
    this.#component = component;
    this.#host = host;
  }

  /**
   * Records an Event; `type` Normal for changes, Warning for problems. Returns at once: the write happens in the
   * background so that Events never slow a reconcile down (`flush()` waits for pending writes).
   */
  async record(obj: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string): Promise<void> {
    const write = this.#write(obj, type, reason, message);
    this.#pending.add(write);
    void write.finally(() => this.#pending.delete(write));
  }

  /** Waits for Events being written. */
  async flush(): Promise<void> {
    await Promise.all([...this.#pending]);
  }

  async #write(obj: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string): Promise<void> {
    const now0 = Date.now();
    const dedupeKey = `${obj.metadata?.uid ?? ''}|${type}|${reason}|${message}`;
    if (now0 - (this.#recent.get(dedupeKey) ?? 0) < DEDUPE_MS) return;
    this.#recent.set(dedupeKey, now0);
    if (this.#recent.size > 10_000) {
      for (const [k, at] of this.#recent) if (now0 - at >= DEDUPE_MS) this.#recent.delete(k);
    }
    const namespace = obj.metadata?.namespace ?? 'default';
    const now = new Date().toISOString();
    const event = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: `${obj.metadata?.name ?? 'object'}.${randomBytes(8).toString('hex')}`, namespace },
      involvedObject: {
        apiVersion: obj.apiVersion,
        kind: obj.kind,
        name: obj.metadata?.name,
        namespace,
        uid: obj.metadata?.uid,
        resourceVersion: obj.metadata?.resourceVersion,
      },
      reason,
      message: message.slice(0, 1024),
      type,
      source: { component: this.#component, host: this.#host },
      reportingComponent: this.#component,
      reportingInstance: this.#host,
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1,
    };
    try {
      await this.#client.create(collectionPath(Resources.event, namespace), event, this.#component);
    } catch (error) {
      this.#log.warn('could not record event', { kind: obj.kind, namespace, name: obj.metadata?.name, reason, error });
    }
  }
}
