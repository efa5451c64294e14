import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { KubeApiError } from '../src/kube/kube-api-error.js';
import { KubeHarness } from './support/kube-harness.js';

const pool = (spec: Record<string, unknown>) => ({
  apiVersion: 'taskyard.dev/v1alpha1',
  kind: 'WorkerPool',
  metadata: { name: 'bad-pool' },
  spec: { queues: ['q'], bundle: { configMap: { name: 'b', key: 'b.mjs' } }, ...spec },
});

/** Creates `object` and returns the API server's rejection message (fails when it is accepted). */
async function rejection(h: KubeHarness, object: Record<string, unknown> & { kind: string }): Promise<string> {
  try {
    await h.create(object);
  } catch (error) {
    assert.ok(error instanceof KubeApiError, String(error));
    // 422 for schema and CEL violations, 400 for strict decoding (unknown fields).
    assert.ok(error.statusCode === 422 || error.statusCode === 400, error.message);
    return error.message;
  }
  assert.fail(`${object.kind} was accepted but should have been rejected`);
}

describe('invalid manifests are rejected by the API server, naming the field', () => {
  let h: KubeHarness;
  before(async () => {
    h = await KubeHarness.create('invalid');
  });
  after(async () => h?.cleanup());

  it('rejects a bad cron expression', async () => {
    const message = await rejection(h, {
      apiVersion: 'taskyard.dev/v1alpha1',
      kind: 'Schedule',
      metadata: { name: 'bad-cron' },
      spec: { queue: 'q', task: 't', cron: 'every day at 3' },
    });
    assert.match(message, /spec\.cron/);
  });

  it('rejects minReplicas above maxReplicas', async () => {
    const message = await rejection(h, pool({ autoscaling: { minReplicas: 5, maxReplicas: 2 } }));
    assert.match(message, /spec\.autoscaling\.minReplicas/);
    assert.match(message, /minReplicas must not exceed maxReplicas/);
  });

  it('rejects two bundle sources', async () => {
    const message = await rejection(h, pool({ bundle: { configMap: { name: 'b', key: 'b.mjs' }, url: { href: 'https://x.test/b.mjs', sha256: 'a'.repeat(64) } } }));
    assert.match(message, /spec\.bundle/);
    assert.match(message, /exactly one bundle source/);
  });

  it('rejects unknown fields', async () => {
    const message = await rejection(h, pool({ replicaz: 3 }));
    assert.match(message, /unknown field "spec\.replicaz"/);
  });

  it('rejects cron and every together', async () => {
    const message = await rejection(h, {
      apiVersion: 'taskyard.dev/v1alpha1',
      kind: 'Schedule',
      metadata: { name: 'both' },
      spec: { queue: 'q', task: 't', cron: '* * * * *', every: '30s' },
    });
    assert.match(message, /spec\.cron/);
  });
});
