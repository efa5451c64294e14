import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadKubeConnection } from '../src/kube/kube-connection.js';

const dir = mkdtempSync(join(tmpdir(), 'console-kube-'));

test('reads server, CA, client certificate and namespace of the current context (client-node KubeConfig)', () => {
  const file = join(dir, 'config');
  writeFileSync(file, [
    'apiVersion: v1', 'kind: Config', 'current-context: b',
    'clusters:',
    '- name: c1', '  cluster: {server: "https://10.0.0.1:6443"}',
    '- name: c2', `  cluster: {server: "https://127.0.0.1:7443", certificate-authority-data: ${Buffer.from('CA').toString('base64')}}`,
    'users:',
    `- name: u2`, `  user: {client-certificate-data: ${Buffer.from('CERT').toString('base64')}, client-key-data: ${Buffer.from('KEY').toString('base64')}}`,
    'contexts:',
    '- name: a', '  context: {cluster: c1}',
    '- name: b', '  context: {cluster: c2, user: u2, namespace: jobs}',
  ].join('\n'));
  const conn = loadKubeConnection({ KUBECONFIG: file });
  assert.ok(conn);
  assert.equal(conn.kc.getCurrentCluster()?.server, 'https://127.0.0.1:7443');
  assert.equal(Buffer.from(conn.kc.getCurrentCluster()?.caData ?? '', 'base64').toString(), 'CA');
  assert.equal(Buffer.from(conn.kc.getCurrentUser()?.certData ?? '', 'base64').toString(), 'CERT');
  assert.equal(conn.namespace, 'jobs');
  assert.equal(conn.origin, `KUBECONFIG ${file}`);
});

test('merges the files of KUBECONFIG, skipping missing ones; the first file\'s context wins', () => {
  const first = join(dir, 'config-token');
  writeFileSync(first, [
    'current-context: x',
    'clusters: [{name: k, cluster: {server: "https://k:6443", insecure-skip-tls-verify: true}}]',
    'users: [{name: me, user: {token: abc123}}]',
    'contexts: [{name: x, context: {cluster: k, user: me}}]',
  ].join('\n'));
  const second = join(dir, 'config-other');
  writeFileSync(second, ['current-context: y', 'clusters: [{name: o, cluster: {server: "https://o:6443"}}]', 'users: [{name: o}]', 'contexts: [{name: y, context: {cluster: o, user: o}}]'].join('\n'));
  const conn = loadKubeConnection({ KUBECONFIG: [first, '/nonexistent', second].join(':') });
  assert.equal(conn?.kc.getCurrentContext(), 'x');
  assert.equal(conn?.kc.getCurrentUser()?.token, 'abc123');
  assert.equal(conn?.kc.getCurrentCluster()?.skipTLSVerify, true);
  assert.ok(conn?.kc.getContextObject('y'), 'the second file is merged in');
});

test('a kubeconfig without the named context, or a KUBECONFIG naming no file, is an error that says what to fix', () => {
  const file = join(dir, 'config-bad');
  writeFileSync(file, 'current-context: missing\ncontexts: []\nclusters: []\nusers: []\n');
  assert.throws(() => loadKubeConnection({ KUBECONFIG: file }), /no context "missing"; set current-context/);
  assert.throws(() => loadKubeConnection({ KUBECONFIG: join(dir, 'none') }), /no such file; point it at a kubeconfig or unset it/);
});

test('no KUBECONFIG, no service account and no ~/.kube/config means no cluster', () => {
  assert.equal(loadKubeConnection({ HOME: join(dir, 'empty-home') }, join(dir, 'no-sa')), undefined);
});

test('in a pod, uses the service account token, CA and namespace (loadFromCluster)', () => {
  const root = join(dir, 'pod');
  const sa = join(root, 'var/run/secrets/kubernetes.io/serviceaccount');
  mkdirSync(sa, { recursive: true });
  writeFileSync(join(sa, 'token'), 'tok\n');
  writeFileSync(join(sa, 'ca.crt'), 'PEM');
  writeFileSync(join(sa, 'namespace'), 'taskyard-system');
  // client-node's loadFromCluster reads the service host from the process environment.
  const saved = { host: process.env.KUBERNETES_SERVICE_HOST, port: process.env.KUBERNETES_SERVICE_PORT };
  process.env.KUBERNETES_SERVICE_HOST = '10.96.0.1';
  process.env.KUBERNETES_SERVICE_PORT = '443';
  try {
    const conn = loadKubeConnection({ KUBERNETES_SERVICE_HOST: '10.96.0.1', KUBERNETES_SERVICE_PORT: '443' }, root);
    assert.equal(conn?.kc.getCurrentCluster()?.server, 'https://10.96.0.1:443');
    assert.equal(conn?.kc.getCurrentCluster()?.caFile, join(sa, 'ca.crt'));
    assert.equal(conn?.namespace, 'taskyard-system');
    assert.equal(conn?.origin, 'in-cluster service account');
  } finally {
    if (saved.host === undefined) delete process.env.KUBERNETES_SERVICE_HOST;
    else process.env.KUBERNETES_SERVICE_HOST = saved.host;
    if (saved.port === undefined) delete process.env.KUBERNETES_SERVICE_PORT;
    else process.env.KUBERNETES_SERVICE_PORT = saved.port;
  }
});
