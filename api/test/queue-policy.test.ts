import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { DEFAULT_MAX_PAYLOAD_BYTES, queuePolicySchema, resolveQueuePolicy } from '../src/index.js';

describe('resolveQueuePolicy', () => {
  it('fills every default of an empty spec', () => {
    assert.deepEqual(resolveQueuePolicy({}), {
      defaults: {
        attempts: 4,
        backoff: { type: 'exponential', delay: '1s', maxDelay: '10m', jitter: true },
        resultTTL: '1d',
        failedTTL: '7d',
        autoretryFor: [],
      },
      paused: false,
      deadLetter: { enabled: true, ttl: '14d' },
      maxPayloadBytes: DEFAULT_MAX_PAYLOAD_BYTES,
    });
  });

  it('keeps what the spec sets and fills the rest of a partly set object', () => {
    const policy = resolveQueuePolicy({
      defaults: { attempts: 2, backoff: { type: 'fixed' }, timeLimit: { soft: '10s', hard: '20s' } },
      rateLimit: { max: 5, duration: '1s' },
      concurrency: 3,
      paused: true,
      deadLetter: { enabled: false },
      maxPayloadBytes: 1024,
    });
    assert.deepEqual(policy.defaults.backoff, { type: 'fixed', delay: '1s', maxDelay: '10m', jitter: true });
    assert.deepEqual(policy.defaults.timeLimit, { soft: '10s', hard: '20s' });
    assert.equal(policy.defaults.attempts, 2);
    assert.deepEqual(policy.rateLimit, { max: 5, duration: '1s' });
    assert.equal(policy.concurrency, 3);
    assert.equal(policy.paused, true);
    assert.deepEqual(policy.deadLetter, { enabled: false, ttl: '14d' });
    assert.equal(policy.maxPayloadBytes, 1024);
  });

  it('leaves out redis and deletionPolicy, which only the operator reads', () => {
    const policy = resolveQueuePolicy({ redis: { secretName: 'r' }, deletionPolicy: 'Delete' });
    assert.equal('redis' in policy, false);
    assert.equal('deletionPolicy' in policy, false);
  });

  it('round-trips through JSON and the policy schema, as workers read it from Redis', () => {
    const policy = resolveQueuePolicy({ defaults: { expires: '1h', autoretryFor: ['FetchError'] } });
    assert.deepEqual(queuePolicySchema.parse(JSON.parse(JSON.stringify(policy))), policy);
  });

  it('throws naming the field when the spec is invalid', () => {
    assert.throws(
      () => resolveQueuePolicy({ defaults: { timeLimit: { soft: '1m', hard: '30s' } } }),
      (err: unknown) =>
        err instanceof z.ZodError && err.issues.some((i) => i.path.join('.') === 'defaults.timeLimit.soft'),
    );
  });

  it('rejects a published policy with a field it does not know', () => {
    const result = queuePolicySchema.safeParse({ ...resolveQueuePolicy({}), deletionPolicy: 'Delete' });
    assert.equal(result.success, false);
    assert.match(result.error?.issues[0]?.message ?? '', /deletionPolicy/);
  });
});
