import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { after, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { resolvePackageBin } from '../src/cli/resolve-package-bin.js';
import { REDIS_URL, deleteKeys, rand } from './cli-test-kit.js';

describe('beat pods: the enqueue command of one Schedule tick, run by racing processes', () => {
  const prefix = rand('tybeat');
  after(() => deleteKeys(REDIS_URL, prefix));

  it('reports enqueued: true from exactly one of 10 processes, the others false, same task id', { timeout: 60_000 }, async () => {
    const bin = resolvePackageBin('@taskyard/worker-runtime', 'taskyard-worker');
    assert.ok(bin, 'the worker runtime is built (npx tsc -b worker-runtime)');
    const args = [bin, 'enqueue', '--queue', 'ticks', '--task', 'send_email', '--schedule-id', 'uid-1234', '--tick', '2030-01-01T09:00:00Z', '--redis-url', REDIS_URL, '--prefix', prefix];
    // Line the racers up: Redis answers nobody for 8 s, so all 10 processes send their first
    // commands while paused and are then served together, as doubled beat pods of one tick would be.
    const admin = new Redis(REDIS_URL);
    await admin.client('PAUSE', 8000, 'ALL');
    admin.disconnect();
    const runs = await Promise.all(Array.from({ length: 10 }, () => promisify(execFile)(process.execPath, args, { env: { ...process.env, TASKYARD_NAMESPACE: 'team-a' } })));
    const results = runs.map((r) => JSON.parse(r.stdout.trim().split('\n').pop() as string) as { taskId: string; enqueued: boolean });
    assert.equal(new Set(results.map((r) => r.taskId)).size, 1);
    assert.equal(results.filter((r) => r.enqueued).length, 1, JSON.stringify(results));
  });
});
