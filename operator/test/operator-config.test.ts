import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readOperatorConfig } from '../src/config/operator-config.js';

describe('readOperatorConfig', () => {
  it('has defaults for everything but the Redis URL', () => {
    const c = readOperatorConfig([], {});
    assert.equal(c.redisUrl, undefined);
    assert.equal(c.prefix, 'taskyard');
    assert.equal(c.httpPort, 8080);
    assert.equal(c.leaderElect, true);
    assert.equal(c.leaseNamespace, 'default');
    assert.equal(c.leaseDurationSeconds, 15);
    assert.equal(c.watchNamespace, undefined);
  });

  it('reads the environment, and flags win over it', () => {
    const c = readOperatorConfig(['--redis-url=redis://flag:6379', '--namespace', 'tasks', '--no-leader-elect'], {
      TASKYARD_REDIS_URL: 'redis://env:6379',
      TASKYARD_PREFIX: 'tp',
      POD_NAMESPACE: 'taskyard-system',
      POD_NAME: 'op-1',
    });
    assert.equal(c.redisUrl, 'redis://flag:6379');
    assert.equal(c.workerRedisUrl, 'redis://flag:6379');
    assert.equal(c.prefix, 'tp');
    assert.equal(c.watchNamespace, 'tasks');
    assert.equal(c.leaderElect, false);
    assert.equal(c.leaseNamespace, 'taskyard-system');
    assert.match(c.identity, /^op-1_[0-9a-f]{8}$/);
  });

  it('takes --leader-elect as a switch, --flag=value and --flag value alike', () => {
    const c = readOperatorConfig(['--leader-elect', '--http-port=9090', '--log-level', 'debug', '--status-refresh-seconds', '2'], { TASKYARD_LEADER_ELECT: 'false' });
    assert.equal(c.leaderElect, true);
    assert.equal(c.httpPort, 9090);
    assert.equal(c.logLevel, 'debug');
    assert.equal(c.statusRefreshSeconds, 2);
  });

  it('gives pods their own Redis URL when TASKYARD_WORKER_REDIS_URL is set', () => {
    const c = readOperatorConfig([], { TASKYARD_REDIS_URL: 'redis://127.0.0.1:6379', TASKYARD_WORKER_REDIS_URL: 'redis://redis.taskyard:6379' });
    assert.equal(c.workerRedisUrl, 'redis://redis.taskyard:6379');
  });

  it('names the flag or variable and the expected form on bad input', () => {
    assert.throws(() => readOperatorConfig(['--http-prot', '1'], {}), /unknown flag --http-prot; known flags: .*--http-port/);
    assert.throws(() => readOperatorConfig(['--http-port', 'x'], {}), /TASKYARD_HTTP_PORT="x" must be a whole number >= 0/);
    assert.throws(() => readOperatorConfig(['--redis-url'], {}), /flag --redis-url needs a value/);
    assert.throws(() => readOperatorConfig([], { TASKYARD_LEADER_ELECT: 'maybe' }), /must be true or false/);
    assert.throws(() => readOperatorConfig([], { TASKYARD_LOG_LEVEL: 'loud' }), /TASKYARD_LOG_LEVEL="loud" is not a log level/);
    assert.throws(() => readOperatorConfig(['redis://x:6379'], {}), /flags look like --redis-url=redis:\/\/host:6379/);
  });
});
