import { EventEmitter } from 'node:events';
import { KubeApiError } from '../kube/kube-api-error.js';
import type { KubeClient } from '../kube/kube-client.js';
import { collectionPath, objectPath, Resources } from '../kube/resource-paths.js';
import type { Logger } from '@taskyard/api';
import type { LeaseElectorOptions } from './lease-elector-options.js';

interface Lease {
  apiVersion: 'coordination.k8s.io/v1';
  kind: 'Lease';
  metadata: { name: string; namespace: string; resourceVersion?: string };
  spec: {
    holderIdentity?: string;
    leaseDurationSeconds?: number;
    acquireTime?: string;
    renewTime?: string;
    leaseTransitions?: number;
  };
}

/** RFC 3339 with microseconds, the MicroTime format of Lease times. */
function microTime(date: Date): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/**
 * Leader election on a coordination.k8s.io Lease, as client-go does it: the holder renews every retry period;
 * a standby takes over once the record has not changed for the lease duration (measured on its own clock, so
 * clock skew between replicas does not matter); writes carry the resourceVersion, so two replicas never both
 * win. Emits `started` when this replica leads and `stopped` when it lost the Lease (the process should exit).
 */
export class LeaseElector extends EventEmitter<{ started: []; stopped: [] }> {
  readonly #client: KubeClient;
  readonly #log: Logger;
  readonly #name: string;
  readonly #namespace: string;
  readonly #identity: string;
  readonly #durationMs: number;
  readonly #retryMs: number;
  readonly #renewDeadlineMs: number;
  #leading = false;
  #running = false;
  #timer: NodeJS.Timeout | undefined;
  #observedRecord = '';
  #observedAt = 0;
  #lastRenew = 0;

  constructor(client: KubeClient, log: Logger, options: LeaseElectorOptions) {
    super();
    this.#client = client;
    this.#log = log;
    this.#name = options.name ?? 'taskyard-operator';
    this.#namespace = options.namespace;
    this.#identity = options.identity;
    this.#durationMs = (options.leaseDurationSeconds ?? 15) * 1000;
    this.#retryMs = (options.retryPeriodSeconds ?? 2) * 1000;
    this.#renewDeadlineMs = (options.renewDeadlineSeconds ?? 10) * 1000;
  }

  get identity(): string {
    return this.#identity;
  }

  get isLeader(): boolean {
    return this.#leading;
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    void this.#tick();
  }

  /** Stops campaigning; a leader releases the Lease so a standby takes over at once. */
  async stop(): Promise<void> {
    this.#running = false;
    clearTimeout(this.#timer);
    if (!this.#leading) return;
    this.#leading = false;
    try {
      const lease = await this.#client.get<Lease>(this.#path());
      if (lease.spec.holderIdentity === this.#identity) {
        const released: Lease = { ...lease, spec: { ...lease.spec, leaseDurationSeconds: 1, renewTime: microTime(new Date()) } };
        delete released.spec.holderIdentity;
        await this.#client.replace(this.#path(), released, 'taskyard-operator');
        this.#log.info('released leadership', { lease: this.#name, identity: this.#identity });
      }
    } catch (error) {
      this.#log.warn('could not release the Lease; a standby takes over after the lease duration', { error });
    }
  }

  async #tick(): Promise<void> {
    if (!this.#running) return;
    let held = false;
    try {
      held = await this.#tryAcquireOrRenew();
    } catch (error) {
      this.#log.warn('leader election attempt failed', { lease: this.#name, error });
    }
    const now = Date.now();
    if (held) {
      this.#lastRenew = now;
      if (!this.#leading) {
        this.#leading = true;
        this.#log.info('became leader', { lease: this.#name, identity: this.#identity });
        this.emit('started');
      }
    } else if (this.#leading && now - this.#lastRenew > this.#renewDeadlineMs) {
      this.#leading = false;
      this.#running = false;
      this.#log.error('lost leadership', { lease: this.#name, identity: this.#identity });
      this.emit('stopped');
      return;
    }
    if (!this.#running) return;
    this.#timer = setTimeout(() => void this.#tick(), this.#retryMs);
  }

  async #tryAcquireOrRenew(): Promise<boolean> {
    const now = new Date();
    const lease = await this.#client.getOrUndefined<Lease>(this.#path());
    if (!lease) {
      const fresh: Lease = {
        apiVersion: 'coordination.k8s.io/v1',
        kind: 'Lease',
        metadata: { name: this.#name, namespace: this.#namespace },
        spec: { holderIdentity: this.#identity, leaseDurationSeconds: this.#durationMs / 1000, acquireTime: microTime(now), renewTime: microTime(now), leaseTransitions: 0 },
      };
      try {
        await this.#client.create(collectionPath(Resources.lease, this.#namespace), fresh, 'taskyard-operator');
        return true;
      } catch (error) {
        if (KubeApiError.isConflict(error)) return false;
        throw error;
      }
    }
    const holder = lease.spec.holderIdentity ?? '';
    const record = `${holder}|${lease.spec.renewTime ?? ''}|${lease.spec.leaseDurationSeconds ?? ''}`;
    if (record !== this.#observedRecord) {
      this.#observedRecord = record;
      this.#observedAt = now.getTime();
    }
    const durationMs = (lease.spec.leaseDurationSeconds ?? this.#durationMs / 1000) * 1000;
    const expired = this.#observedAt + durationMs <= now.getTime();
    if (holder !== '' && holder !== this.#identity && !expired) return false;
    const spec: Lease['spec'] = {
      ...lease.spec,
      holderIdentity: this.#identity,
      leaseDurationSeconds: this.#durationMs / 1000,
      renewTime: microTime(now),
    };
    if (holder !== this.#identity) {
      spec.acquireTime = microTime(now);
      spec.leaseTransitions = (lease.spec.leaseTransitions ?? 0) + 1;
    }
    try {
      const updated = await this.#client.replace<Lease>(this.#path(), { ...lease, spec }, 'taskyard-operator');
      this.#observedRecord = `${this.#identity}|${updated.spec.renewTime ?? ''}|${updated.spec.leaseDurationSeconds ?? ''}`;
      this.#observedAt = now.getTime();
      return true;
    } catch (error) {
      if (KubeApiError.isConflict(error)) return false;
      throw error;
    }
  }

  #path(): string {
    return objectPath(Resources.lease, this.#namespace, this.#name);
  }
}
