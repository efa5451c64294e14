// The operator's former parse-redis-url tests, now run against the one URL grammar every process uses.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseRedisUrl } from '../src/wire/index.js';

describe('parseRedisUrl (cases the operator relied on)', () => {
  it('hands redis:// and rediss:// to ioredis as they are', () => {
    assert.deepEqual(parseRedisUrl('redis://:pw@r:6379/2'), { kind: 'single', url: 'redis://:pw@r:6379/2' });
    assert.deepEqual(parseRedisUrl('rediss://r:6380'), { kind: 'single', url: 'rediss://r:6380' });
  });

  it('reads sentinels (default port 26379), the master name, db and URL-encoded credentials', () => {
    assert.deepEqual(parseRedisUrl('redis-sentinel://u:p%40ss@s1:26379,s2/mymaster?db=3'), {
      kind: 'sentinel',
      sentinels: [
        { host: 's1', port: 26379 },
        { host: 's2', port: 26379 },
      ],
      masterName: 'mymaster',
      db: 3,
      username: 'u',
      password: 'p@ss',
    });
  });

  it('reads cluster nodes and a password without user', () => {
    assert.deepEqual(parseRedisUrl('redis-cluster://:secret@n1:7000,n2:7001'), {
      kind: 'cluster',
      nodes: [
        { host: 'n1', port: 7000 },
        { host: 'n2', port: 7001 },
      ],
      password: 'secret',
    });
  });

  it('says what form is expected, without echoing passwords', () => {
    assert.throws(() => parseRedisUrl('http://x'), /scheme "http" is not supported: use redis:\/\/host:port, rediss:\/\/host:port, redis-sentinel:\/\/.* or redis-cluster:\/\//);
    assert.throws(() => parseRedisUrl('redis-sentinel://:hunter2@s1:26379'), (e: Error) => /needs the master name/.test(e.message) && !e.message.includes('hunter2'));
    assert.throws(() => parseRedisUrl('redis-cluster://'), /at least one host:port/);
    assert.throws(() => parseRedisUrl('redis-cluster://:hunter2@n1:port'), (e: Error) => /"n1:port" is not host:port/.test(e.message) && !e.message.includes('hunter2'));
    assert.throws(() => parseRedisUrl('redis-sentinel://s1/m?db=x'), /db "x" must be a whole number/);
  });
});
