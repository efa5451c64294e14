import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setConditions } from '../src/status/set-condition.js';
import { sameStatus } from '../src/status/same-status.js';

const t0 = new Date('2026-01-01T00:00:00Z');
const t1 = new Date('2026-01-01T00:05:00Z');

describe('setConditions', () => {
  it('stamps new conditions with the time and generation', () => {
    const c = setConditions(undefined, [{ type: 'Ready', status: 'True', reason: 'QueueReady', message: 'ok' }], 4, t0);
    assert.deepEqual(c, [{ type: 'Ready', status: 'True', reason: 'QueueReady', message: 'ok', lastTransitionTime: '2026-01-01T00:00:00Z', observedGeneration: 4 }]);
  });

  it('keeps lastTransitionTime while the status stays the same, even when the message changes', () => {
    const first = setConditions(undefined, [{ type: 'Ready', status: 'False', reason: 'WaitingForPods', message: '0 of 2' }], 1, t0);
    const second = setConditions(first, [{ type: 'Ready', status: 'False', reason: 'WaitingForPods', message: '1 of 2' }], 1, t1);
    assert.equal(second[0]?.lastTransitionTime, '2026-01-01T00:00:00Z');
    assert.equal(second[0]?.message, '1 of 2');
  });

  it('moves lastTransitionTime when the status flips', () => {
    const first = setConditions(undefined, [{ type: 'Ready', status: 'False', reason: 'WaitingForPods', message: '' }], 1, t0);
    const second = setConditions(first, [{ type: 'Ready', status: 'True', reason: 'Available', message: '' }], 2, t1);
    assert.equal(second[0]?.lastTransitionTime, '2026-01-01T00:05:00Z');
    assert.equal(second[0]?.observedGeneration, 2);
  });

  it('keeps other condition types and orders Ready, Progressing, Degraded', () => {
    const c = setConditions(
      [{ type: 'Custom', status: 'True' }],
      [
        { type: 'Degraded', status: 'False', reason: 'Healthy', message: '' },
        { type: 'Ready', status: 'True', reason: 'Available', message: '' },
      ],
      1,
      t0,
    );
    assert.deepEqual(c.map((x) => x.type), ['Ready', 'Degraded', 'Custom']);
  });
});

describe('sameStatus', () => {
  it('ignores undefined fields and compares deeply', () => {
    assert.equal(sameStatus({ a: 1, b: undefined, c: [{ d: 2 }] }, { a: 1, c: [{ d: 2 }] }), true);
    assert.equal(sameStatus({ a: 1 }, { a: 2 }), false);
    assert.equal(sameStatus({ a: 1 }, undefined), false);
  });
});
