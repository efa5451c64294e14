import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { backoffDelay } from '../src/backoff-delay.js';

describe('backoffDelay (pure)', () => {
  const noJitter = { type: 'exponential' as const, delay: 1000, maxDelay: 10_000, jitter: false };

  it('doubles the delay per failed attempt', () => {
    assert.deepEqual([1, 2, 3, 4].map((n) => backoffDelay(n, noJitter)), [1000, 2000, 4000, 8000]);
  });

  it('caps the delay at maxDelay', () => {
    assert.equal(backoffDelay(5, noJitter), 10_000);
    assert.equal(backoffDelay(60, noJitter), 10_000);
    assert.equal(backoffDelay(5000, noJitter), 10_000);
  });

  it('keeps a fixed delay for type fixed', () => {
    assert.deepEqual([1, 2, 7].map((n) => backoffDelay(n, { ...noJitter, type: 'fixed', delay: 250 })), [250, 250, 250]);
  });

  it('spreads the delay uniformly over [0, computed] with full jitter', () => {
    const b = { ...noJitter, jitter: true };
    assert.equal(backoffDelay(3, b, () => 0), 0);
    assert.equal(backoffDelay(3, b, () => 0.5), 2000);
    assert.equal(backoffDelay(3, b, () => 0.999999), 4000);
    assert.equal(backoffDelay(10, b, () => 0.5), 5000);
  });

  it('uses 1 s exponential, 10 min cap and jitter when nothing is configured', () => {
    assert.equal(backoffDelay(1, undefined, () => 1), 1000);
    assert.equal(backoffDelay(30, undefined, () => 1), 600_000);
    assert.equal(backoffDelay(2, undefined, () => 0.5), 1000);
  });

  it('treats attempt numbers below 1 as the first retry', () => {
    assert.equal(backoffDelay(0, noJitter), 1000);
  });
});
