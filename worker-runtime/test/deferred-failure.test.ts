import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Job } from 'bullmq';
import { deferredFailure } from '../src/deferred-failure.js';

const job = (deferred: string | undefined): Job => ({ deferredFailure: deferred }) as unknown as Job;

describe('deferredFailure (pure): which failure BullMQ 6 deferred to the next worker', () => {
  it('tells a worker lost too often, a failed child and anything else apart', () => {
    assert.equal(deferredFailure(job(undefined)), undefined);
    assert.equal(deferredFailure(job('')), undefined);
    assert.equal(deferredFailure(job('job stalled more than allowable limit')), 'worker-lost');
    assert.equal(deferredFailure(job('child taskyard:{ns/q}:abc failed')), 'child-failed');
    assert.equal(deferredFailure(job('job started more than allowable limit')), 'other');
  });
});
