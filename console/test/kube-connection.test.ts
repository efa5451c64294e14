import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadKubeConnection } from '../src/kube/kube-connection.js';

const dir = mkdtempSync(join(tmpdir(), 'console-kube-'));

test('reads server, CA, client certificate and namespace of the current context', () => {
  const file = join(dir, 'config');
  writeFileSync(file, [
    'apiVersion: v1', 'kind: Config', 'current-context: b',
    'clusters:',
    '- name: c1', '  cluster: {server: "https://10.0.0.1:6443"}',
    '- name: c2', `  cluster: {server: "https://127.0.0.1:7443/", certificate-authority-data: ${Buffer.from('CA').toString('base64')}}`,
    'users:',
    `- name: u2`, `  user: {client-certificate-data: ${Buffer.from('CERT').toString('base64')}, client-key-data: ${Buffer.from('KEY').toString('base64')}}`,
    'contexts:',
    '- name: a', '  context: {cluster: c1}',
    '- name: b', '  context: {cluster: c2, user: u2, namespace: jobs}',
  ].join('\n'));
  const conn = loadKubeConnection({ KUBECONFIG: file });
  assert.ok(conn);
  assert.equal(conn.server, 'https://127.0.0.1:7443');
  assert.equal(conn.ca?.toString(), 'CA');
  assert.equal(conn.cert?.toString(), 'CERT');
  assert.equal(conn.key?.toString(), 'KEY');
  assert.equal(conn.namespace, 'jobs');
  assert.equal(conn.token, undefined);
});

test('reads a bearer token and skips TLS verification only when asked', () => {
  const file = join(dir, 'config-token');
  writeFileSync(file, [
    'current-context: x',
    'clusters: [{name: k, cluster: {server: "https://k:6443", insecure-skip-tls-verify: true}}]',
    'users: [{name: me, user: {token: abc123}}]',
    'contexts: [{name: x, context: {cluster: k, user: me}}]',
  ].join('\n'));
  const conn = loadKubeConnection({ KUBECONFIG: `${file}:/nonexistent` });
  assert.equal(conn?.token?.(), 'abc123');
  assert.equal(conn?.insecureSkipTlsVerify, true);
});

test('a kubeconfig without the named context is an error that says what to fix', () => {
  const file = join(dir, 'config-bad');
  writeFileSync(file, 'current-context: missing\ncontexts: []\n');
  assert.throws(() => loadKubeConnection({ KUBECONFIG: file }), /no context "missing"; set current-context/);
});

test('no KUBECONFIG and no service account means no cluster', () => {
  assert.equal(loadKubeConnection({}, join(dir, 'no-sa')), undefined);
});

test('in a pod, uses the service account token, CA and namespace', () => {
  const sa = join(dir, 'sa');
  mkdirSync(sa);
  writeFileSync(join(sa, 'token'), 'tok\n');
  writeFileSync(join(sa, 'ca.crt'), 'PEM');
  writeFileSync(join(sa, 'namespace'), 'taskyard-system');
  const conn = loadKubeConnection({ KUBERNETES_SERVICE_HOST: '10.96.0.1', KUBERNETES_SERVICE_PORT: '443' }, sa);
  assert.equal(conn?.server, 'https://10.96.0.1:443');
  assert.equal(conn?.token?.(), 'tok');
  assert.equal(conn?.namespace, 'taskyard-system');
  assert.equal(conn?.ca?.toString(), 'PEM');
});

