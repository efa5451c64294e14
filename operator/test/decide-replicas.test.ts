import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decideReplicas, type AutoscaleMemory, type AutoscalePolicy, type Backlog } from '../src/autoscale/decide-replicas.js';

const policy: AutoscalePolicy = {
  minReplicas: 0,
  maxReplicas: 10,
  targetBacklogPerReplica: 5,
  scaleDownDelaySeconds: 60,
  idleSecondsBeforeZero: 300,
};
const depth = (waiting: number, prioritized = 0, active = 0): Backlog => ({ waiting, prioritized, active });
const T0 = 1_700_000_000_000;

/** Runs polls in order, threading memory and replicas like the operator does. */
function run(steps: { at: number; backlog: Backlog }[], start: number, p: AutoscalePolicy = policy) {
  let replicas = start;
  let memory: AutoscaleMemory = {};
  const seen = [];
  for (const step of steps) {
    const d = decideReplicas({ policy: p, backlog: step.backlog, currentReplicas: replicas, now: step.at, memory });
    replicas = d.replicas;
    memory = d.memory;
    seen.push(d);
  }
  return seen;
}

describe('decideReplicas', () => {
  it('counts waiting, prioritized and active tasks as backlog', () => {
    const d = decideReplicas({ policy, backlog: depth(4, 3, 4), currentReplicas: 1, now: T0, memory: {} });
    assert.equal(d.backlog, 11);
    assert.equal(d.replicas, 3);
    assert.equal(d.reason, 'ScaleUp');
  });

  it('scales from zero as soon as one task waits', () => {
    const d = decideReplicas({ policy, backlog: depth(1), currentReplicas: 0, now: T0, memory: {} });
    assert.equal(d.replicas, 1);
    assert.equal(d.reason, 'ScaleFromZero');
    assert.match(d.message, /backlog 1/);
  });

  it('stays at zero while nothing waits', () => {
    const d = decideReplicas({ policy, backlog: depth(0), currentReplicas: 0, now: T0, memory: {} });
    assert.equal(d.replicas, 0);
    assert.equal(d.reason, 'Steady');
  });

  it('never goes above maxReplicas however deep the queue', () => {
    const d = decideReplicas({ policy, backlog: depth(10_000), currentReplicas: 2, now: T0, memory: {} });
    assert.equal(d.replicas, 10);
    assert.equal(d.recommendation, 10);
  });

  it('keeps minReplicas with an empty queue', () => {
    const p = { ...policy, minReplicas: 2 };
    const steps = [0, 1000, 400_000].map((s) => ({ at: T0 + s, backlog: depth(0) }));
    const seen = run(steps, 2, p);
    assert.deepEqual(seen.map((d) => d.replicas), [2, 2, 2]);
  });

  it('corrects a count below minReplicas or above maxReplicas at once', () => {
    const low = decideReplicas({ policy: { ...policy, minReplicas: 3 }, backlog: depth(0), currentReplicas: 1, now: T0, memory: {} });
    assert.deepEqual([low.replicas, low.reason], [3, 'BelowMinReplicas']);
    const high = decideReplicas({ policy: { ...policy, maxReplicas: 4 }, backlog: depth(0), currentReplicas: 9, now: T0, memory: {} });
    assert.deepEqual([high.replicas, high.reason], [4, 'AboveMaxReplicas']);
  });

  it('scales up at once but down only after scaleDownDelaySeconds below', () => {
    const seen = run(
      [
        { at: T0, backlog: depth(50) }, // 10
        { at: T0 + 5_000, backlog: depth(12) }, // rec 3, delay starts
        { at: T0 + 30_000, backlog: depth(12) }, // still waiting
        { at: T0 + 65_000, backlog: depth(12) }, // 60 s passed
      ],
      1,
    );
    assert.deepEqual(seen.map((d) => d.replicas), [10, 10, 10, 3]);
    assert.deepEqual(seen.map((d) => d.reason), ['ScaleUp', 'ScaleDownDelayed', 'ScaleDownDelayed', 'ScaleDown']);
  });

  it('scales down to the highest recommendation seen during the delay', () => {
    const seen = run(
      [
        { at: T0, backlog: depth(12) }, // 10 -> rec 3, delay starts
        { at: T0 + 20_000, backlog: depth(30) }, // rec 6
        { at: T0 + 61_000, backlog: depth(5) }, // rec 1, but peak was 6
      ],
      10,
    );
    assert.deepEqual(seen.map((d) => d.replicas), [10, 10, 6]);
  });

  it('restarts the delay when the backlog climbs back to the current count', () => {
    const seen = run(
      [
        { at: T0, backlog: depth(5) }, // 4 -> rec 1, below
        { at: T0 + 50_000, backlog: depth(20) }, // rec 4 = current: steady, delay forgotten
        { at: T0 + 70_000, backlog: depth(5) }, // below again, new delay
        { at: T0 + 100_000, backlog: depth(5) }, // only 30 s below
      ],
      4,
    );
    assert.deepEqual(seen.map((d) => d.reason), ['ScaleDownDelayed', 'Steady', 'ScaleDownDelayed', 'ScaleDownDelayed']);
    assert.deepEqual(seen.map((d) => d.replicas), [4, 4, 4, 4]);
  });

  it('keeps one replica while idle, then goes to zero after idleSecondsBeforeZero', () => {
    const seen = run(
      [
        { at: T0, backlog: depth(3) }, // busy: 1
        { at: T0 + 10_000, backlog: depth(0) }, // idle starts counting from the last busy poll
        { at: T0 + 200_000, backlog: depth(0) },
        { at: T0 + 300_000, backlog: depth(0) }, // 300 s since last busy
      ],
      1,
    );
    assert.deepEqual(seen.map((d) => d.replicas), [1, 1, 1, 0]);
    assert.deepEqual(seen.map((d) => d.reason), ['Steady', 'IdleBeforeZero', 'IdleBeforeZero', 'ScaleToZero']);
  });

  it('steps a drained pool down to one after the delay and to zero after the idle period', () => {
    const seen = run(
      [
        { at: T0, backlog: depth(40) }, // 8
        { at: T0 + 1_000, backlog: depth(0) }, // drained: rec 0, floor 1, delay starts
        { at: T0 + 62_000, backlog: depth(0) }, // delay over: 1
        { at: T0 + 302_000, backlog: depth(0) }, // idle 301 s: zero
      ],
      0,
    );
    assert.deepEqual(seen.map((d) => d.replicas), [8, 8, 1, 0]);
  });

  it('goes straight to zero when the idle period is shorter than the scale-down delay', () => {
    const p = { ...policy, scaleDownDelaySeconds: 600, idleSecondsBeforeZero: 30 };
    const seen = run(
      [
        { at: T0, backlog: depth(40) },
        { at: T0 + 1_000, backlog: depth(0) },
        { at: T0 + 31_000, backlog: depth(0) },
      ],
      0,
      p,
    );
    assert.deepEqual(seen.map((d) => d.replicas), [8, 8, 0]);
    assert.equal(seen[2]?.reason, 'ScaleToZero');
  });

  it('after a restart (no memory) waits a full idle period before zero', () => {
    const first = decideReplicas({ policy, backlog: depth(0), currentReplicas: 1, now: T0, memory: {} });
    assert.equal(first.replicas, 1);
    assert.equal(first.memory.lastBusyAt, T0);
    const later = decideReplicas({ policy, backlog: depth(0), currentReplicas: 1, now: T0 + 300_000, memory: first.memory });
    assert.equal(later.replicas, 0);
  });

  it('with zero delays follows the backlog down at once', () => {
    const p = { ...policy, scaleDownDelaySeconds: 0, idleSecondsBeforeZero: 0 };
    const seen = run(
      [
        { at: T0, backlog: depth(20) },
        { at: T0 + 1, backlog: depth(6) },
        { at: T0 + 2, backlog: depth(0) },
      ],
      0,
      p,
    );
    assert.deepEqual(seen.map((d) => d.replicas), [4, 2, 0]);
  });

  it('treats a target below one as one and ignores negative counts', () => {
    const d = decideReplicas({ policy: { ...policy, targetBacklogPerReplica: 0 }, backlog: depth(3, -5, 0), currentReplicas: 0, now: T0, memory: {} });
    assert.equal(d.backlog, 3);
    assert.equal(d.replicas, 3);
  });

  it('treats maxReplicas below minReplicas as minReplicas', () => {
    const d = decideReplicas({ policy: { ...policy, minReplicas: 2, maxReplicas: 1 }, backlog: depth(100), currentReplicas: 2, now: T0, memory: {} });
    assert.equal(d.replicas, 2);
  });
});
