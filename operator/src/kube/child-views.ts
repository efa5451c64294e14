import type { KubeObject } from './kube-object.js';

/**
 * The fields the operator reads of children, typed as the API server sends them (JSON: times are strings;
 * client-node's V1* models type them as Date, which the raw JSON the informers hold is not).
 */
export interface DeploymentView extends KubeObject {
  spec?: { replicas?: number };
  status?: {
    observedGeneration?: number;
    replicas?: number;
    readyReplicas?: number;
    availableReplicas?: number;
    updatedReplicas?: number;
    unavailableReplicas?: number;
  };
}

export interface CronJobView extends KubeObject {
  spec?: { schedule?: string; suspend?: boolean };
  status?: { lastScheduleTime?: string; lastSuccessfulTime?: string; active?: { name?: string }[] };
}

export interface PodView extends KubeObject {
  status?: { phase?: string };
}
