import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { workerPoolSchema, type WorkerPoolInput } from '@taskyard/api';
import type { V1Container, V1Deployment } from '@kubernetes/client-node';
import { renderWorkerDeployment, workerDeploymentName } from '../src/render/render-worker-deployment.js';
import { terminationGraceSeconds } from '../src/render/termination-grace-seconds.js';

function pool(spec: Partial<WorkerPoolInput['spec']> = {}, name = 'emails') {
  return workerPoolSchema.parse({
    apiVersion: 'taskyard.dev/v1alpha1',
    kind: 'WorkerPool',
    metadata: { name, namespace: 'shop', uid: 'uid-1', generation: 3 },
    spec: { queues: ['emails', 'default'], concurrency: 4, bundle: { configMap: { name: 'tasks', key: 'bundle.mjs' } }, ...spec },
  } satisfies WorkerPoolInput);
}

const base = { replicas: 2, runtimeImage: 'taskyard/runtime:0.1.0', prefix: 'taskyard', redisUrl: { value: 'redis://redis:6379' }, queueHardLimitsMs: [] };

function worker(d: V1Deployment): V1Container {
  const c = d.spec?.template.spec?.containers[0];
  assert.ok(c);
  return c;
}
function envOf(c: V1Container): Record<string, unknown> {
  return Object.fromEntries((c.env ?? []).map((e) => [e.name, e.value ?? e.valueFrom]));
}

describe('renderWorkerDeployment', () => {
  it('renders a Deployment owned by the pool, selected by the pool label, with the replicas given', () => {
    const d = renderWorkerDeployment({ ...base, pool: pool() });
    assert.equal(d.metadata?.name, 'emails');
    assert.equal(d.metadata?.namespace, 'shop');
    assert.deepEqual(d.metadata?.ownerReferences, [
      { apiVersion: 'taskyard.dev/v1alpha1', kind: 'WorkerPool', name: 'emails', uid: 'uid-1', controller: true, blockOwnerDeletion: true },
    ]);
    assert.equal(d.spec?.replicas, 2);
    assert.deepEqual(d.spec?.selector.matchLabels, { 'taskyard.dev/worker-pool': 'emails' });
    assert.equal(d.spec?.template.metadata?.labels?.['taskyard.dev/worker-pool'], 'emails');
    assert.equal(d.metadata?.labels?.['app.kubernetes.io/managed-by'], 'taskyard-operator');
    assert.deepEqual(worker(d).command, ['taskyard-worker', 'run']);
    assert.equal(worker(d).image, 'taskyard/runtime:0.1.0');
    assert.equal(worker(d).imagePullPolicy, 'IfNotPresent');
  });

  it('passes the runtime its env contract', () => {
    const env = envOf(worker(renderWorkerDeployment({ ...base, pool: pool() })));
    assert.equal(env.TASKYARD_REDIS_URL, 'redis://redis:6379');
    assert.equal(env.TASKYARD_PREFIX, 'taskyard');
    assert.equal(env.TASKYARD_QUEUES, 'emails,default');
    assert.equal(env.TASKYARD_CONCURRENCY, '4');
    assert.equal(env.TASKYARD_HTTP_PORT, '8080');
    assert.equal(env.TASKYARD_POOL, 'emails');
    assert.deepEqual(env.POD_NAME, { fieldRef: { fieldPath: 'metadata.name' } });
    assert.deepEqual(env.POD_NAMESPACE, { fieldRef: { fieldPath: 'metadata.namespace' } });
    // The namespace of the pool's queues: queue identity is namespace + name.
    assert.equal(env.TASKYARD_NAMESPACE, 'shop');
  });

  it('reads the Redis URL from the queue Secret when the queue has one', () => {
    const d = renderWorkerDeployment({ ...base, pool: pool(), redisUrl: { secretKeyRef: { name: 'redis-auth', key: 'url' } } });
    assert.deepEqual(envOf(worker(d)).TASKYARD_REDIS_URL, { secretKeyRef: { name: 'redis-auth', key: 'url' } });
  });

  it('mounts a configMap bundle read-only and points the runtime at its key', () => {
    const d = renderWorkerDeployment({ ...base, pool: pool() });
    const volumes = d.spec?.template.spec?.volumes ?? [];
    assert.deepEqual(volumes.find((v) => v.name === 'bundle')?.configMap, { name: 'tasks', items: [{ key: 'bundle.mjs', path: 'bundle.mjs' }] });
    assert.deepEqual(worker(d).volumeMounts?.find((m) => m.name === 'bundle'), { name: 'bundle', mountPath: '/bundle', readOnly: true });
    assert.equal(envOf(worker(d)).TASKYARD_BUNDLE_PATH, '/bundle/bundle.mjs');
    assert.equal(d.spec?.template.spec?.initContainers, undefined);
  });

  it('copies an image bundle with an init container into an emptyDir', () => {
    const d = renderWorkerDeployment({ ...base, pool: pool({ bundle: { image: { ref: 'acme/tasks:1.2', path: '/app/dist' } } }) });
    const init = d.spec?.template.spec?.initContainers?.[0];
    assert.equal(init?.image, 'acme/tasks:1.2');
    assert.deepEqual(init?.command, ['cp', '-R', '/app/dist', '/taskyard-bundle/']);
    assert.deepEqual(init?.volumeMounts, [{ name: 'bundle', mountPath: '/taskyard-bundle' }]);
    assert.equal(init?.securityContext?.readOnlyRootFilesystem, true);
    assert.deepEqual(d.spec?.template.spec?.volumes?.find((v) => v.name === 'bundle')?.emptyDir, {});
    assert.equal(envOf(worker(d)).TASKYARD_BUNDLE_PATH, '/bundle/dist');
  });

  it('defaults the image bundle path to /bundle', () => {
    const d = renderWorkerDeployment({ ...base, pool: pool({ bundle: { image: { ref: 'acme/tasks:1.2' } } }) });
    assert.deepEqual(d.spec?.template.spec?.initContainers?.[0]?.command, ['cp', '-R', '/bundle', '/taskyard-bundle/']);
    assert.equal(envOf(worker(d)).TASKYARD_BUNDLE_PATH, '/bundle/bundle');
  });

  it('hands a url bundle and its digest to the runtime and mounts nothing', () => {
    const sha256 = 'a'.repeat(64);
    const d = renderWorkerDeployment({ ...base, pool: pool({ bundle: { url: { href: 'https://example.test/b.mjs', sha256 } } }) });
    const env = envOf(worker(d));
    assert.equal(env.TASKYARD_BUNDLE_URL, 'https://example.test/b.mjs');
    assert.equal(env.TASKYARD_BUNDLE_SHA256, sha256);
    assert.equal(env.TASKYARD_BUNDLE_PATH, undefined);
    assert.deepEqual(d.spec?.template.spec?.volumes?.map((v) => v.name), ['tmp']);
  });

  it('runs restricted: non-root, read-only root, no capabilities, RuntimeDefault seccomp, writable /tmp only', () => {
    const d = renderWorkerDeployment({ ...base, pool: pool() });
    const pod = d.spec?.template.spec;
    assert.equal(pod?.securityContext?.runAsNonRoot, true);
    assert.deepEqual(pod?.securityContext?.seccompProfile, { type: 'RuntimeDefault' });
    const sc = worker(d).securityContext;
    assert.equal(sc?.runAsNonRoot, true);
    assert.equal(sc?.readOnlyRootFilesystem, true);
    assert.equal(sc?.allowPrivilegeEscalation, false);
    assert.deepEqual(sc?.capabilities, { drop: ['ALL'] });
    assert.deepEqual(worker(d).volumeMounts?.find((m) => m.mountPath === '/tmp'), { name: 'tmp', mountPath: '/tmp' });
    assert.deepEqual(pod?.volumes?.find((v) => v.name === 'tmp'), { name: 'tmp', emptyDir: {} });
  });

  it('probes /healthz and /readyz on the runtime port', () => {
    const c = worker(renderWorkerDeployment({ ...base, pool: pool() }));
    assert.equal(c.livenessProbe?.httpGet?.path, '/healthz');
    assert.equal(c.readinessProbe?.httpGet?.path, '/readyz');
    assert.equal(c.readinessProbe?.httpGet?.port, 'http');
    assert.deepEqual(c.ports, [{ name: 'http', containerPort: 8080, protocol: 'TCP' }]);
  });

  it('gives draining pods the longest hard time limit plus a margin', () => {
    const d = renderWorkerDeployment({ ...base, pool: pool(), queueHardLimitsMs: [30_000, 120_500] });
    assert.equal(d.spec?.template.spec?.terminationGracePeriodSeconds, 131);
    const fixed = renderWorkerDeployment({ ...base, pool: pool({ template: { terminationGracePeriodSeconds: 5 } }), queueHardLimitsMs: [120_000] });
    assert.equal(fixed.spec?.template.spec?.terminationGracePeriodSeconds, 5);
    assert.equal(terminationGraceSeconds(undefined, []), 30);
  });

  it('copies the template: image, resources, env (overriding the operator), envFrom, scheduling, service account', () => {
    const d = renderWorkerDeployment({
      ...base,
      pool: pool({
        template: {
          image: 'acme/runtime:dev',
          resources: { requests: { cpu: '100m' }, limits: { memory: '256Mi' } },
          env: [{ name: 'TASKYARD_LOG_LEVEL', value: 'debug' }, { name: 'TASKYARD_CONCURRENCY', value: '9' }],
          envFrom: [{ secretRef: { name: 'api-keys' } }],
          nodeSelector: { pool: 'workers' },
          tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'workers', effect: 'NoSchedule' }],
          serviceAccountName: 'tasks',
        },
      }),
    });
    const c = worker(d);
    assert.equal(c.image, 'acme/runtime:dev');
    assert.deepEqual(c.resources, { requests: { cpu: '100m' }, limits: { memory: '256Mi' } });
    const names = (c.env ?? []).map((e) => e.name);
    assert.equal(names.filter((n) => n === 'TASKYARD_CONCURRENCY').length, 1, 'no duplicate env names (server-side apply rejects them)');
    assert.equal(envOf(c).TASKYARD_CONCURRENCY, '9');
    assert.equal(envOf(c).TASKYARD_LOG_LEVEL, 'debug');
    assert.deepEqual(c.envFrom, [{ secretRef: { name: 'api-keys' } }]);
    const pod = d.spec?.template.spec;
    assert.deepEqual(pod?.nodeSelector, { pool: 'workers' });
    assert.equal(pod?.tolerations?.[0]?.key, 'dedicated');
    assert.equal(pod?.serviceAccountName, 'tasks');
  });

  it('changes its spec hash when the spec changes and only then', () => {
    const a = renderWorkerDeployment({ ...base, pool: pool() });
    const same = renderWorkerDeployment({ ...base, pool: pool() });
    const scaled = renderWorkerDeployment({ ...base, replicas: 3, pool: pool() });
    const hash = (d: V1Deployment) => d.metadata?.annotations?.['taskyard.dev/spec-hash'];
    assert.equal(hash(a), hash(same));
    assert.notEqual(hash(a), hash(scaled));
  });

  it('shortens long pool names to a valid, distinct Deployment name', () => {
    const long = 'a'.repeat(70);
    const name = workerDeploymentName(long);
    assert.ok(name.length <= 63);
    assert.notEqual(name, workerDeploymentName(`${'a'.repeat(69)}b`));
    assert.match(name, /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
  });

  it('refuses an owner without a uid', () => {
    const p = pool();
    delete p.metadata.uid;
    assert.throws(() => renderWorkerDeployment({ ...base, pool: p }), /metadata\.uid/);
  });
});
