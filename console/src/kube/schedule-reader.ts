import { ApiException, CustomObjectsApi } from '@kubernetes/client-node';
import { API_GROUP, API_VERSION } from '@taskyard/api';
import type { ScheduleListResponse, ScheduleView } from '../schemas/schedule-schemas.js';
import { nextRun } from '../schedules/next-run.js';
import type { KubeConnection } from './kube-connection.js';

interface ScheduleObject {
  metadata?: { name?: string; namespace?: string };
  spec?: { queue?: string; task?: string; cron?: string; timeZone?: string; every?: string; suspend?: boolean };
  status?: {
    lastScheduleTime?: string;
    lastTaskId?: string;
    nextScheduleTime?: string;
    conditions?: Array<{ type?: string; status?: string }>;
  };
}

/**
 * Reads `taskyard.dev/v1alpha1` Schedule objects (one namespace, or all) through client-node's
 * CustomObjectsApi and computes their next run.
 */
export class ScheduleReader {
  private readonly api: CustomObjectsApi | undefined;

  constructor(
    private readonly conn: KubeConnection | undefined,
    /** Namespace to list; undefined lists all namespaces. */
    private readonly namespace: string | undefined,
  ) {
    this.api = conn?.kc.makeApiClient(CustomObjectsApi);
  }

  async list(now = new Date()): Promise<ScheduleListResponse> {
    if (!this.conn || !this.api) {
      return {
        source: 'none',
        note: 'not running in a Kubernetes cluster and KUBECONFIG is not set: schedules live in the cluster as Schedule resources',
        items: [],
      };
    }
    const which = { group: API_GROUP, version: API_VERSION, plural: 'schedules' };
    let list: { items?: ScheduleObject[] };
    try {
      list = (await (this.namespace ? this.api.listNamespacedCustomObject({ ...which, namespace: this.namespace }) : this.api.listClusterCustomObject(which))) as { items?: ScheduleObject[] };
    } catch (err) {
      if (err instanceof ApiException && err.code === 404) {
        return { source: 'kubernetes', note: `the Schedule CRD (schedules.${API_GROUP}) is not installed in this cluster`, items: [] };
      }
      throw err;
    }
    const items = (list.items ?? []).map((o): ScheduleView => {
      const spec = o.spec ?? {};
      const ready = o.status?.conditions?.find((c) => c.type === 'Ready')?.status;
      const next = nextRun({ ...spec, nextScheduleTime: o.status?.nextScheduleTime }, now);
      return {
        namespace: o.metadata?.namespace ?? '',
        name: o.metadata?.name ?? '',
        queue: spec.queue ?? '',
        task: spec.task ?? '',
        ...(spec.cron ? { cron: spec.cron, timeZone: spec.timeZone ?? 'UTC' } : {}),
        ...(spec.every ? { every: spec.every } : {}),
        suspend: spec.suspend === true,
        ...(o.status?.lastScheduleTime ? { lastScheduleTime: o.status.lastScheduleTime } : {}),
        ...(o.status?.lastTaskId ? { lastTaskId: o.status.lastTaskId } : {}),
        ...(next ? { nextRun: next } : {}),
        ...(ready ? { ready } : {}),
      };
    });
    items.sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
    return { source: 'kubernetes', items };
  }
}
