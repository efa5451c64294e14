import { API_GROUP, API_VERSION } from '@taskyard/api';

/** A kind the operator reads or writes, and how to build its URLs. */
export interface ResourceType {
  kind: string;
  /** `apps/v1`, `v1`, `taskyard.dev/v1alpha1`. */
  apiVersion: string;
  plural: string;
}

export const Resources = {
  taskQueue: { kind: 'TaskQueue', apiVersion: `${API_GROUP}/${API_VERSION}`, plural: 'taskqueues' },
  workerPool: { kind: 'WorkerPool', apiVersion: `${API_GROUP}/${API_VERSION}`, plural: 'workerpools' },
  schedule: { kind: 'Schedule', apiVersion: `${API_GROUP}/${API_VERSION}`, plural: 'schedules' },
  deployment: { kind: 'Deployment', apiVersion: 'apps/v1', plural: 'deployments' },
  cronJob: { kind: 'CronJob', apiVersion: 'batch/v1', plural: 'cronjobs' },
  pod: { kind: 'Pod', apiVersion: 'v1', plural: 'pods' },
  secret: { kind: 'Secret', apiVersion: 'v1', plural: 'secrets' },
  event: { kind: 'Event', apiVersion: 'v1', plural: 'events' },
  lease: { kind: 'Lease', apiVersion: 'coordination.k8s.io/v1', plural: 'leases' },
} as const satisfies Record<string, ResourceType>;

/** `/api/v1` or `/apis/<group>/<version>`. */
function prefix(apiVersion: string): string {
  return apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
}

/** Collection URL, across namespaces when `namespace` is undefined. */
export function collectionPath(type: ResourceType, namespace?: string): string {
  return namespace === undefined ? `${prefix(type.apiVersion)}/${type.plural}` : `${prefix(type.apiVersion)}/namespaces/${encodeURIComponent(namespace)}/${type.plural}`;
}

/** One object's URL, optionally a subresource (`status`). */
export function objectPath(type: ResourceType, namespace: string, name: string, subresource?: string): string {
  return `${collectionPath(type, namespace)}/${encodeURIComponent(name)}${subresource ? `/${subresource}` : ''}`;
}
