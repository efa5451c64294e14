import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decideReplicas, type AutoscaleMemory, type AutoscalePolicy, type Backlog, type ScaleReason } from '../src/autoscale/decide-replicas.js';
import { cronTiming, everyRequeueAfterMs } from '../src/controllers/schedule/cron-timing.js';
import { ACTIVATION_POLL_MS, poolRequeueAfterMs, resyncDue, RESYNC_MS } from '../src/controllers/worker-pool/pool-timing.js';
import { FakeClock } from './support/fake-clock.js';

const depth = (waiting: number): Backlog => ({ waiting, prioritized: 0, active: 0 });

/**
 * The WorkerPool reconciler's autoscaling loop on a fake clock: each reconcile decides at clock.now() and asks to
 * run again after poolRequeueAfterMs; the clock then jumps by that delay, as the work queue's timer would.
 */
function simulatePool(clock: FakeClock, policy: AutoscalePolicy & { pollSeconds: number }, start: number, backlogAt: (elapsedMs: number) => Backlog, untilMs: number) {
  const t0 = clock.now();
  let replicas = start;
  let memory: AutoscaleMemory = {};
  const trace: { at: number; replicas: number; reason: ScaleReason; requeueAfterMs: number }[] = [];
  while (clock.now() - t0 <= untilMs) {
    const d = decideReplicas({ policy, backlog: backlogAt(clock.now() - t0), currentReplicas: replicas, now: clock.now(), memory });
    replicas = d.replicas;
    memory = d.memory;
    const requeueAfterMs = poolRequeueAfterMs(policy, replicas, false) ?? 0;
    trace.push({ at: clock.now() - t0, replicas, reason: d.reason, requeueAfterMs });
    clock.advance(requeueAfterMs);
  }
  return trace;
}

const policy = { minReplicas: 0, maxReplicas: 10, targetBacklogPerReplica: 5, scaleDownDelaySeconds: 60, idleSecondsBeforeZero: 120, pollSeconds: 15 };

describe('WorkerPool timing on a fake clock', () => {
  it('scales down only after scaleDownDelaySeconds below, polling every pollSeconds', () => {
    const clock = new FakeClock('2026-03-01T10:00:00Z');
    // 40 tasks for the first 30 s (8 replicas), then 10 (2 replicas).
    const trace = simulatePool(clock, policy, 0, (ms) => depth(ms < 30_000 ? 40 : 10), 150_000);
    assert.deepEqual(trace[0], { at: 0, replicas: 8, reason: 'ScaleFromZero', requeueAfterMs: 15_000 });
    const firstBelow = trace.find((s) => s.reason === 'ScaleDownDelayed');
    assert.equal(firstBelow?.at, 30_000);
    const down = trace.find((s) => s.reason === 'ScaleDown');
    // Below since 30 s; the first poll at or after 30 + 60 s scales down.
    assert.equal(down?.at, 90_000);
    assert.equal(down?.replicas, 2);
    assert.ok(trace.filter((s) => s.at < 90_000).every((s) => s.replicas === 8));
  });

  it('goes to zero only after idleSecondsBeforeZero without work, then polls at the activation interval', () => {
    const clock = new FakeClock('2026-03-01T10:00:00Z');
    const trace = simulatePool(clock, policy, 1, (ms) => depth(ms < 15_000 ? 3 : 0), 200_000);
    const zero = trace.find((s) => s.replicas === 0);
    // Last busy poll at 0 s (the one at 15 s sees nothing): zero at the first poll >= 120 s idle.
    assert.equal(zero?.reason, 'ScaleToZero');
    assert.equal(zero?.at, 120_000);
    assert.ok(trace.filter((s) => s.at < 120_000).every((s) => s.replicas === 1 && s.requeueAfterMs === 15_000));
    assert.ok(trace.filter((s) => s.at > 120_000).every((s) => s.replicas === 0 && s.requeueAfterMs === ACTIVATION_POLL_MS));
  });

  it('wakes from zero at the first poll that sees a task, within the activation interval', () => {
    const clock = new FakeClock('2026-03-01T10:00:00Z');
    const trace = simulatePool(clock, policy, 0, (ms) => depth(ms >= 4_500 ? 1 : 0), 10_000);
    const wake = trace.find((s) => s.replicas > 0);
    assert.equal(wake?.reason, 'ScaleFromZero');
    assert.equal(wake?.at, 5_000);
  });

  it('re-applies an unchanged Deployment once RESYNC_MS has passed', () => {
    const clock = new FakeClock(0);
    const lastApplyAt = clock.now();
    clock.advance(RESYNC_MS - 1);
    assert.equal(resyncDue(lastApplyAt, clock.now()), false);
    clock.advance(1);
    assert.equal(resyncDue(lastApplyAt, clock.now()), true);
  });

  it('requeues a fixed pool only when it has a problem', () => {
    assert.equal(poolRequeueAfterMs(undefined, 3, false), undefined);
    assert.equal(poolRequeueAfterMs(undefined, 3, true), 30_000);
  });
});

describe('Schedule timing on a fake clock', () => {
  it('shows the next cron tick and runs again just after it', () => {
    const clock = new FakeClock('2026-03-01T10:02:30Z');
    assert.deepEqual(cronTiming('*/5 * * * *', 'UTC', clock.now()), { nextScheduleTime: '2026-03-01T10:05:00Z', requeueAfterMs: 152_000 });
    clock.advance(149_500); // 10:04:59.5
    assert.deepEqual(cronTiming('*/5 * * * *', 'UTC', clock.now()), { nextScheduleTime: '2026-03-01T10:05:00Z', requeueAfterMs: 2_500 });
    clock.advance(500); // exactly on the tick: the next one is five minutes on
    assert.equal(cronTiming('*/5 * * * *', 'UTC', clock.now()).nextScheduleTime, '2026-03-01T10:10:00Z');
  });

  it('reads the cron in its time zone and looks again at least hourly', () => {
    const clock = new FakeClock('2026-03-01T10:00:00Z');
    // 09:00 in Berlin (UTC+1 in March before DST) is 08:00 UTC: tomorrow.
    const t = cronTiming('0 9 * * *', 'Europe/Berlin', clock.now());
    assert.equal(t.nextScheduleTime, '2026-03-02T08:00:00Z');
    assert.equal(t.requeueAfterMs, 3_600_000);
  });

  it('polls a job-scheduler Schedule every interval, not faster than 5 s', () => {
    assert.equal(everyRequeueAfterMs(1000), 5000);
    assert.equal(everyRequeueAfterMs(90_000), 90_000);
  });
});
