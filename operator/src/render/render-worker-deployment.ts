import type { V1Container, V1Deployment, V1EnvVar, V1Volume, V1VolumeMount } from '@kubernetes/client-node';
import { BUNDLE_MOUNT_DIR, DEFAULT_HTTP_PORT, RuntimeCommand, RuntimeEnv, type WorkerPool } from '@taskyard/api';
import { childName } from './child-name.js';
import { MANAGED_BY, OperatorLabels } from './operator-labels.js';
import { ownerReference } from './owner-reference.js';
import { namespaceEnv } from './namespace-env.js';
import { redisUrlEnv, type RedisUrlSource } from './redis-url-source.js';
import { restrictedContainerSecurityContext, restrictedPodSecurityContext } from './restricted-security.js';
import { specHash } from './spec-hash.js';
import { terminationGraceSeconds } from './termination-grace-seconds.js';

/** Everything besides the WorkerPool that decides its Deployment. */
export interface WorkerDeploymentInput {
  /** The WorkerPool as read from the API server, defaults applied (workerPoolSchema.parse). */
  pool: WorkerPool;
  /** spec.replicas of the Deployment: the fixed count or the autoscaler's decision. */
  replicas: number;
  /** Runtime image when spec.template.image is absent. */
  runtimeImage: string;
  /** BullMQ key prefix. */
  prefix: string;
  /** Where the pods read TASKYARD_REDIS_URL from. */
  redisUrl: RedisUrlSource;
  /** Hard time limits (ms) of the pool's queues that have one; the grace period follows the longest. */
  queueHardLimitsMs: readonly number[];
}

/** Where the image bundle's init container copies to (an emptyDir mounted at BUNDLE_MOUNT_DIR in the worker). */
const INIT_TARGET_DIR = '/taskyard-bundle';
const BUNDLE_VOLUME = 'bundle';
const TMP_VOLUME = 'tmp';

/** The Deployment name of a WorkerPool. */
export function workerDeploymentName(poolName: string): string {
  return childName(poolName, 63);
}

/**
 * The Deployment running a WorkerPool's workers. Pure: same input, same object. Carries a controller owner
 * reference and, in an annotation, the hash of everything but itself (see OperatorLabels.specHash).
 */
export function renderWorkerDeployment(input: WorkerDeploymentInput): V1Deployment {
  const { pool } = input;
  const { spec } = pool;
  const template = spec.template ?? {};
  const name = workerDeploymentName(pool.metadata.name);
  const selector = { [OperatorLabels.workerPool]: pool.metadata.name };
  const labels = {
    [OperatorLabels.name]: 'taskyard-worker',
    [OperatorLabels.instance]: pool.metadata.name,
    [OperatorLabels.component]: 'worker',
    [OperatorLabels.managedBy]: MANAGED_BY,
    ...selector,
  };

  const volumes: V1Volume[] = [{ name: TMP_VOLUME, emptyDir: {} }];
  const mounts: V1VolumeMount[] = [{ name: TMP_VOLUME, mountPath: '/tmp' }];
  const initContainers: V1Container[] = [];
  const bundleEnv: V1EnvVar[] = [];
  const bundle = spec.bundle;
  if (bundle.configMap) {
    volumes.push({ name: BUNDLE_VOLUME, configMap: { name: bundle.configMap.name, items: [{ key: bundle.configMap.key, path: bundle.configMap.key }] } });
    mounts.push({ name: BUNDLE_VOLUME, mountPath: BUNDLE_MOUNT_DIR, readOnly: true });
    bundleEnv.push({ name: RuntimeEnv.bundlePath, value: `${BUNDLE_MOUNT_DIR}/${bundle.configMap.key}` });
  } else if (bundle.image) {
    const source = bundle.image.path.replace(/\/+$/, '') || '/';
    const base = source.split('/').filter(Boolean).pop() ?? 'bundle';
    volumes.push({ name: BUNDLE_VOLUME, emptyDir: {} });
    mounts.push({ name: BUNDLE_VOLUME, mountPath: BUNDLE_MOUNT_DIR, readOnly: true });
    initContainers.push({
      name: 'bundle',
      image: bundle.image.ref,
      imagePullPolicy: template.imagePullPolicy ?? 'IfNotPresent',
      // The bundle image needs only `cp`; it copies the file or directory at `path` into the shared emptyDir.
      command: ['cp', '-R', source, `${INIT_TARGET_DIR}/`],
      volumeMounts: [{ name: BUNDLE_VOLUME, mountPath: INIT_TARGET_DIR }],
      securityContext: restrictedContainerSecurityContext(),
      resources: { requests: { cpu: '10m', memory: '16Mi' }, limits: { memory: '64Mi' } },
    });
    bundleEnv.push({ name: RuntimeEnv.bundlePath, value: `${BUNDLE_MOUNT_DIR}/${base}` });
  } else if (bundle.url) {
    bundleEnv.push({ name: RuntimeEnv.bundleUrl, value: bundle.url.href }, { name: RuntimeEnv.bundleSha256, value: bundle.url.sha256 });
  }

  const env = mergeEnv(
    [
      redisUrlEnv(RuntimeEnv.redisUrl, input.redisUrl),
      { name: RuntimeEnv.prefix, value: input.prefix },
      { name: RuntimeEnv.queues, value: spec.queues.join(',') },
      { name: RuntimeEnv.concurrency, value: String(spec.concurrency) },
      { name: RuntimeEnv.httpPort, value: String(DEFAULT_HTTP_PORT) },
      { name: RuntimeEnv.pool, value: pool.metadata.name },
      { name: RuntimeEnv.podName, valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
      { name: RuntimeEnv.podNamespace, valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
      namespaceEnv(pool.metadata.namespace),
      ...bundleEnv,
    ],
    (template.env ?? []) as V1EnvVar[],
  );

  const worker: V1Container = {
    name: 'worker',
    image: template.image ?? input.runtimeImage,
    imagePullPolicy: template.imagePullPolicy ?? 'IfNotPresent',
    command: [...RuntimeCommand.run],
    env,
    ports: [{ name: 'http', containerPort: DEFAULT_HTTP_PORT, protocol: 'TCP' }],
    livenessProbe: { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 10, timeoutSeconds: 3, failureThreshold: 3 },
    readinessProbe: { httpGet: { path: '/readyz', port: 'http' }, periodSeconds: 5, timeoutSeconds: 3, failureThreshold: 2 },
    startupProbe: { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 2, failureThreshold: 60 },
    volumeMounts: mounts,
    securityContext: restrictedContainerSecurityContext(),
  };
  if (template.envFrom) worker.envFrom = template.envFrom;
  if (template.resources) worker.resources = template.resources as V1Container['resources'];

  const podSpec: NonNullable<NonNullable<V1Deployment['spec']>['template']['spec']> = {
    securityContext: restrictedPodSecurityContext(),
    terminationGracePeriodSeconds: terminationGraceSeconds(template.terminationGracePeriodSeconds, input.queueHardLimitsMs),
    automountServiceAccountToken: false,
    enableServiceLinks: false,
    containers: [worker],
    volumes,
  };
  if (initContainers.length > 0) podSpec.initContainers = initContainers;
  if (template.serviceAccountName) podSpec.serviceAccountName = template.serviceAccountName;
  if (template.nodeSelector) podSpec.nodeSelector = template.nodeSelector;
  if (template.tolerations) podSpec.tolerations = template.tolerations;
  if (template.affinity) podSpec.affinity = template.affinity as NonNullable<typeof podSpec.affinity>;

  const deploymentSpec: NonNullable<V1Deployment['spec']> = {
    replicas: input.replicas,
    revisionHistoryLimit: 3,
    selector: { matchLabels: selector },
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } },
    template: { metadata: { labels }, spec: podSpec },
  };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name,
      namespace: pool.metadata.namespace,
      labels,
      annotations: { [OperatorLabels.specHash]: specHash(deploymentSpec) },
      ownerReferences: [ownerReference(pool)],
    },
    spec: deploymentSpec,
  };
}

/** The operator's env with the user's entries after it; a user entry of the same name replaces the operator's. */
function mergeEnv(operatorEnv: V1EnvVar[], userEnv: V1EnvVar[]): V1EnvVar[] {
  const userNames = new Set(userEnv.map((e) => e.name));
  return [...operatorEnv.filter((e) => !userNames.has(e.name)), ...userEnv];
}
