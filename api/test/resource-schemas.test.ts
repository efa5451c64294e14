import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { z } from 'zod';
import {
  formatValidationError,
  scheduleSchema,
  taskQueueSchema,
  workerPoolSchema,
  type ScheduleInput,
  type TaskQueueInput,
  type WorkerPoolInput,
} from '../src/index.js';

/** "path: message" lines of a failed parse; fails the test when the object is accepted. */
function problems(schema: z.ZodType, value: unknown): string[] {
  const result = schema.safeParse(value);
  assert.equal(result.success, false, `expected ${JSON.stringify(value)} to be rejected`);
  return formatValidationError(result.error!).split('\n');
}

function assertProblem(schema: z.ZodType, value: unknown, path: string, message: RegExp): void {
  const lines = problems(schema, value);
  assert.ok(
    lines.some((line) => line.startsWith(`${path}: `) && message.test(line)),
    `expected a problem at ${path} matching ${message}, got:\n${lines.join('\n')}`,
  );
}

const meta = { name: 'emails', namespace: 'default' };
const taskQueue = (spec: unknown): TaskQueueInput =>
  ({ apiVersion: 'taskyard.dev/v1alpha1', kind: 'TaskQueue', metadata: meta, spec }) as TaskQueueInput;
const pool = (spec: Partial<WorkerPoolInput['spec']>): WorkerPoolInput => ({
  apiVersion: 'taskyard.dev/v1alpha1',
  kind: 'WorkerPool',
  metadata: meta,
  spec: { queues: ['emails'], bundle: { configMap: { name: 'tasks', key: 'bundle.mjs' } }, ...spec },
});
const schedule = (spec: Partial<ScheduleInput['spec']>): ScheduleInput => ({
  apiVersion: 'taskyard.dev/v1alpha1',
  kind: 'Schedule',
  metadata: meta,
  spec: { queue: 'emails', task: 'send_email', cron: '*/5 * * * *', ...spec },
});

describe('TaskQueue schema', () => {
  it('accepts an empty spec and fills the defaults a Celery user expects', () => {
    const parsed = taskQueueSchema.parse(taskQueue({}));
    assert.equal(parsed.spec.defaults.attempts, 4);
    assert.deepEqual(parsed.spec.defaults.backoff, { type: 'exponential', delay: '1s', maxDelay: '10m', jitter: true });
    assert.equal(parsed.spec.defaults.resultTTL, '1d');
    assert.equal(parsed.spec.deletionPolicy, 'Retain');
    assert.equal(parsed.spec.paused, false);
    assert.equal(parsed.spec.maxPayloadBytes, 262_144);
    assert.equal(parsed.spec.redis, undefined);
  });

  it('accepts a spec without the spec key at all', () => {
    const { spec: _spec, ...withoutSpec } = taskQueue({});
    assert.equal(taskQueueSchema.parse(withoutSpec).spec.deletionPolicy, 'Retain');
  });

  it('accepts objects read back from the API server (extra metadata, status)', () => {
    const parsed = taskQueueSchema.parse({
      ...taskQueue({ paused: true }),
      metadata: { ...meta, uid: 'u1', generation: 3, managedFields: [{ manager: 'taskyard' }], finalizers: ['taskyard.dev/redis'] },
      status: {
        observedGeneration: 3,
        conditions: [{ type: 'Ready', status: 'True', reason: 'QueueReachable', lastTransitionTime: '2026-11-25T13:00:00Z' }],
        counts: { waiting: 1, prioritized: 0, active: 2, delayed: 0, failed: 3, completed: 40, dead: 1 },
        activeWorkers: 2,
        throughputPerMinute: 12,
      },
    });
    assert.equal(parsed.status?.counts?.completed, 40);
  });

  it('rejects a soft time limit not shorter than the hard one, naming soft', () => {
    for (const [soft, hard] of [['1m', '30s'], ['30s', '30s'], ['2d', '47h']]) {
      assertProblem(taskQueueSchema, taskQueue({ defaults: { timeLimit: { soft, hard } } }), 'spec.defaults.timeLimit.soft', /soft must be shorter than hard/);
    }
    assert.equal(taskQueueSchema.safeParse(taskQueue({ defaults: { timeLimit: { soft: '999ms', hard: '1s' } } })).success, true);
  });

  it('rejects unknown fields, naming them', () => {
    assertProblem(taskQueueSchema, taskQueue({ retries: 3 }), 'spec.retries', /unknown field; remove it or check its spelling/);
    assertProblem(taskQueueSchema, taskQueue({ defaults: { max_retries: 3 } }), 'spec.defaults.max_retries', /unknown field/);
  });

  it('rejects a bad duration, naming the field and the form', () => {
    assertProblem(taskQueueSchema, taskQueue({ defaults: { expires: '1 hour' } }), 'spec.defaults.expires', /e\.g\. "30s"|"30s"/);
    assertProblem(taskQueueSchema, taskQueue({ rateLimit: { max: 10, duration: 1000 } }), 'spec.rateLimit.duration', /string/);
  });

  it('rejects values out of range', () => {
    assertProblem(taskQueueSchema, taskQueue({ defaults: { attempts: 0 } }), 'spec.defaults.attempts', />=1|at least|too small/i);
    assertProblem(taskQueueSchema, taskQueue({ deletionPolicy: 'Purge' }), 'spec.deletionPolicy', /Retain|Delete/);
    assertProblem(taskQueueSchema, taskQueue({ maxPayloadBytes: 1.5 }), 'spec.maxPayloadBytes', /int/i);
  });

  it('rejects a name ending in .dead, which would collide with a dead-letter queue', () => {
    assertProblem(taskQueueSchema, { ...taskQueue({}), metadata: { name: 'emails.dead' } }, 'metadata.name', /\.dead/);
  });

  it('rejects a wrong apiVersion or kind', () => {
    assertProblem(taskQueueSchema, { ...taskQueue({}), apiVersion: 'taskyard.dev/v1' }, 'apiVersion', /taskyard\.dev\/v1alpha1/);
    assertProblem(taskQueueSchema, { ...taskQueue({}), kind: 'WorkerPool' }, 'kind', /TaskQueue/);
  });
});

describe('WorkerPool schema', () => {
  it('accepts a pool with a fixed replica count and fills concurrency', () => {
    const parsed = workerPoolSchema.parse(pool({ replicas: 2 }));
    assert.equal(parsed.spec.concurrency, 1);
    assert.equal(parsed.spec.replicas, 2);
  });

  it('accepts an autoscaled pool from zero and fills the scaler defaults', () => {
    const parsed = workerPoolSchema.parse(pool({ autoscaling: { maxReplicas: 5 } }));
    assert.deepEqual(parsed.spec.autoscaling, {
      minReplicas: 0,
      maxReplicas: 5,
      targetBacklogPerReplica: 10,
      pollSeconds: 5,
      scaleDownDelaySeconds: 60,
      idleSecondsBeforeZero: 300,
    });
  });

  it('accepts each bundle source on its own', () => {
    for (const bundle of [
      { configMap: { name: 'tasks', key: 'bundle.mjs' } },
      { image: { ref: 'my-tasks:1.0' } },
      { url: { href: 'https://example.com/b.mjs', sha256: 'a'.repeat(64) } },
    ]) {
      assert.equal(workerPoolSchema.safeParse(pool({ bundle })).success, true, JSON.stringify(bundle));
    }
    assert.equal(workerPoolSchema.parse(pool({ bundle: { image: { ref: 'x:1' } } })).spec.bundle.image?.path, '/bundle');
  });

  it('rejects minReplicas above maxReplicas, naming minReplicas', () => {
    assertProblem(workerPoolSchema, pool({ autoscaling: { minReplicas: 6, maxReplicas: 5 } }), 'spec.autoscaling.minReplicas', /minReplicas must not exceed maxReplicas/);
  });

  it('rejects two bundle sources, and none', () => {
    const two = { configMap: { name: 'tasks', key: 'bundle.mjs' }, image: { ref: 'my-tasks:1.0' } };
    assertProblem(workerPoolSchema, pool({ bundle: two }), 'spec.bundle', /exactly one bundle source: configMap, image or url/);
    assertProblem(workerPoolSchema, pool({ bundle: {} }), 'spec.bundle', /exactly one bundle source/);
  });

  it('rejects replicas together with autoscaling, naming replicas and the fix', () => {
    assertProblem(workerPoolSchema, pool({ replicas: 2, autoscaling: { maxReplicas: 5 } }), 'spec.replicas', /not both: remove replicas to autoscale/);
  });

  it('rejects a sha256 that is not 64 lower-case hex digits', () => {
    for (const sha256 of ['a'.repeat(63), 'a'.repeat(65), 'g'.repeat(64), 'A'.repeat(64)]) {
      assertProblem(workerPoolSchema, pool({ bundle: { url: { href: 'https://x/b.mjs', sha256 } } }), 'spec.bundle.url.sha256', /64 lower-case hex/);
    }
  });

  it('rejects a non-http bundle URL and a ConfigMap without key', () => {
    assertProblem(workerPoolSchema, pool({ bundle: { url: { href: 'file:///etc/passwd', sha256: 'a'.repeat(64) } } }), 'spec.bundle.url.href', /http/);
    assertProblem(workerPoolSchema, pool({ bundle: { configMap: { name: 'tasks' } as { name: string; key: string } } }), 'spec.bundle.configMap.key', /string/);
  });

  it('rejects no queues, a queue named twice and a bad queue name', () => {
    assertProblem(workerPoolSchema, pool({ queues: [] }), 'spec.queues', />=1|at least|too small/i);
    assertProblem(workerPoolSchema, pool({ queues: ['a', 'b', 'a'] }), 'spec.queues', /twice/);
    assertProblem(workerPoolSchema, pool({ queues: ['Emails'] }), 'spec.queues.0', /Kubernetes name/);
  });

  it('rejects unknown fields in the template', () => {
    assertProblem(workerPoolSchema, pool({ template: { replicas: 3 } as object }), 'spec.template.replicas', /unknown field/);
  });

  it('takes resources as quantities, strings or integers', () => {
    const parsed = workerPoolSchema.parse(pool({ template: { resources: { requests: { cpu: '250m', memory: '1Gi' }, limits: { cpu: 2 } } } }));
    assert.equal(parsed.spec.template?.resources?.limits?.['cpu'], 2);
    assertProblem(workerPoolSchema, pool({ template: { resources: { requests: { cpu: 'lots' } } } }), 'spec.template.resources.requests.cpu', /./);
  });
});

describe('Schedule schema', () => {
  it('accepts a cron schedule with a time zone and fills the defaults', () => {
    const parsed = scheduleSchema.parse(schedule({ timeZone: 'Europe/Paris' }));
    assert.deepEqual(parsed.spec.args, []);
    assert.deepEqual(parsed.spec.kwargs, {});
    assert.equal(parsed.spec.concurrencyPolicy, 'Allow');
    assert.equal(parsed.spec.suspend, false);
  });

  it('accepts an interval schedule with JSON arguments', () => {
    const parsed = scheduleSchema.parse(
      schedule({ cron: undefined, every: '30s', args: [1, 'a', { b: [true, null] }], kwargs: { to: 'x@example.com' } }),
    );
    assert.equal(parsed.spec.every, '30s');
    assert.deepEqual(parsed.spec.args, [1, 'a', { b: [true, null] }]);
  });

  it('rejects a bad cron, naming spec.cron and the cron field', () => {
    assertProblem(scheduleSchema, schedule({ cron: '0 25 * * *' }), 'spec.cron', /hour field "25": 25 is out of range 0-23/);
    assertProblem(scheduleSchema, schedule({ cron: '0 3 * *' }), 'spec.cron', /5 fields/);
  });

  it('rejects both cron and every, and neither', () => {
    assertProblem(scheduleSchema, schedule({ every: '1m' }), 'spec.cron', /exactly one of cron or every/);
    assertProblem(scheduleSchema, schedule({ cron: undefined }), 'spec.cron', /exactly one of cron or every/);
  });

  it('rejects an unknown time zone and a time zone without cron', () => {
    assertProblem(scheduleSchema, schedule({ timeZone: 'Mars/Olympus_Mons' }), 'spec.timeZone', /not a known IANA time zone/);
    assertProblem(scheduleSchema, schedule({ timeZone: 'Europe Paris' }), 'spec.timeZone', /IANA time zone name/);
    assertProblem(scheduleSchema, schedule({ cron: undefined, every: '30s', timeZone: 'UTC' }), 'spec.timeZone', /applies to cron only/);
  });

  it('rejects an interval under one second', () => {
    assertProblem(scheduleSchema, schedule({ cron: undefined, every: '500ms' }), 'spec.every', /at least 1s/);
    assert.equal(scheduleSchema.safeParse(schedule({ cron: undefined, every: '1000ms' })).success, true);
  });

  it('rejects unknown fields, including in options', () => {
    assertProblem(scheduleSchema, schedule({ countdown: 5 } as object), 'spec.countdown', /unknown field/);
    assertProblem(scheduleSchema, schedule({ options: { queue: 'other' } as object }), 'spec.options.queue', /unknown field/);
  });

  it('rejects kwargs that are not an object', () => {
    assertProblem(scheduleSchema, schedule({ kwargs: [1, 2] as unknown as Record<string, unknown> }), 'spec.kwargs', /object|record/i);
  });
});

describe('formatValidationError', () => {
  it('names the object, then one field per line', () => {
    const result = workerPoolSchema.safeParse(pool({ replicas: 2, autoscaling: { minReplicas: 3, maxReplicas: 1 } }));
    assert.equal(result.success, false);
    const text = formatValidationError(result.error!, 'WorkerPool default/emails');
    assert.match(text, /^WorkerPool default\/emails is invalid:\n {2}spec\./);
    assert.match(text, /\n {2}spec\.autoscaling\.minReplicas: minReplicas must not exceed maxReplicas/);
    assert.match(text, /\n {2}spec\.replicas: set replicas or autoscaling, not both/);
  });
});

describe('formatValidationError on unknown fields', () => {
  it('gives each unknown field its own line under its own path', () => {
    const result = taskQueueSchema.safeParse(taskQueue({ retries: 3, queue_name: 'x' }));
    assert.equal(result.success, false);
    assert.deepEqual(formatValidationError(result.error!).split('\n'), [
      'spec.retries: unknown field; remove it or check its spelling',
      'spec.queue_name: unknown field; remove it or check its spelling',
    ]);
  });
});
