import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { maskRedisUrl, maskSecretIn, parseRedisUrl, REDIS_URL_FORMS } from '../src/wire/index.js';

/** Asserts that parsing throws an error matching `pattern` that contains none of `secrets`. */
function rejects(url: string, pattern: RegExp, ...secrets: string[]): void {
  assert.throws(
    () => parseRedisUrl(url),
    (error: Error) => {
      assert.match(error.message, pattern);
      for (const s of secrets) assert.ok(!error.message.includes(s), `the error "${error.message}" echoes "${s}"`);
      return true;
    },
  );
}

describe('wire/redis-url: the one Redis URL grammar', () => {
  describe('redis:// and rediss:// (one server)', () => {
    it('hands the URL to ioredis unchanged, credentials, db and TLS included', () => {
      for (const url of ['redis://127.0.0.1:6379', 'redis://:pw@r:6379/2', 'redis://user:pw@r', 'rediss://r.example:6380/0', 'redis://[::1]:6379']) {
        assert.deepEqual(parseRedisUrl(url), { kind: 'single', url });
      }
    });

    it('accepts the scheme in any case, as URLs do', () => {
      assert.equal(parseRedisUrl('REDIS://r:6379').kind, 'single');
      assert.equal(parseRedisUrl('Redis-Sentinel://s1:26379/m').kind, 'sentinel');
    });

    it('rejects a malformed URL naming the forms, with the password masked', () => {
      rejects('redis://:hunter2@r:99999', /Redis URL redis:\/\/:\*\*\*@r:99999 is not a valid URL: use redis:\/\/host:port/, 'hunter2');
    });
  });

  describe('redis-sentinel://', () => {
    it('reads the sentinels, the master name, db and the credentials (percent-decoded)', () => {
      assert.deepEqual(parseRedisUrl('redis-sentinel://u:p%40ss@s1:26380,s2/mymaster?db=3'), {
        kind: 'sentinel',
        sentinels: [
          { host: 's1', port: 26380 },
          { host: 's2', port: 26379 },
        ],
        masterName: 'mymaster',
        db: 3,
        username: 'u',
        password: 'p@ss',
      });
    });

    it('takes a sentinelPassword parameter for sentinels that require auth', () => {
      assert.deepEqual(parseRedisUrl('redis-sentinel://:pw@s1:26379/m?sentinelPassword=s%26cret'), {
        kind: 'sentinel',
        sentinels: [{ host: 's1', port: 26379 }],
        masterName: 'm',
        password: 'pw',
        sentinelPassword: 's&cret',
      });
    });

    it('keeps a + of a sentinelPassword a +', () => {
      const target = parseRedisUrl('redis-sentinel://s1/m?sentinelPassword=a+b');
      assert.equal(target.kind === 'sentinel' && target.sentinelPassword, 'a+b');
    });

    it('keeps an @ of a sentinelPassword in the query out of the host list', () => {
      const target = parseRedisUrl('redis-sentinel://s1:26379/m?sentinelPassword=a@b');
      assert.deepEqual(target, { kind: 'sentinel', sentinels: [{ host: 's1', port: 26379 }], masterName: 'm', sentinelPassword: 'a@b' });
    });

    it('reads a password that holds an unencoded @', () => {
      const target = parseRedisUrl('redis-sentinel://:p@ss@s1:26379/m');
      assert.equal(target.kind === 'sentinel' && target.password, 'p@ss');
    });

    it('reads IPv6 sentinels in brackets', () => {
      const target = parseRedisUrl('redis-sentinel://[::1]:26379,[fe80::1]/m');
      assert.deepEqual(target.kind === 'sentinel' && target.sentinels, [
        { host: '::1', port: 26379 },
        { host: 'fe80::1', port: 26379 },
      ]);
    });

    it('says the master name is missing, with the form to use, and never echoes the password', () => {
      rejects('redis-sentinel://:hunter2@s1:26379', /needs the master name as its path: redis-sentinel:\/\/host:26379\/mymaster/, 'hunter2');
      rejects('redis-sentinel://:hunter2@s1:26379/', /needs the master name/, 'hunter2');
    });

    it('says db must be a whole number', () => {
      rejects('redis-sentinel://s1/m?db=x', /db "x" must be a whole number/);
    });

    it('names an unknown parameter and the ones it takes', () => {
      rejects('redis-sentinel://s1/m?password=hunter2', /unknown parameter "password": redis-sentinel:\/\/ takes db and sentinelPassword/, 'hunter2');
    });

    it('says which host:port is wrong without echoing a password', () => {
      rejects('redis-sentinel://:hunter2@s1:port/m', /"s1:port" is not host:port/, 'hunter2');
      rejects('redis-sentinel://:hunter2@s1:0/m', /"s1:0" is not host:port/, 'hunter2');
      rejects('redis-sentinel://:hunter2@:26379/m', /":26379" is not host:port/, 'hunter2');
      rejects('redis-sentinel://s1:port/m?sentinelPassword=a@b', /"s1:port" is not host:port/, 'a@b');
      rejects('redis-sentinel://[::1/m', /"\[::1" is not host:port \(IPv6 as \[addr\]:port\)/);
    });

    it('rejects credentials that are not percent-encoded, naming the fix', () => {
      rejects('redis-sentinel://:100%@s1/m', /percent-encode/, '100%');
    });
  });

  describe('redis-cluster://', () => {
    it('reads the nodes and the credentials; the port defaults to 6379', () => {
      assert.deepEqual(parseRedisUrl('redis-cluster://:secret@n1:7000,n2:7001,n3'), {
        kind: 'cluster',
        nodes: [
          { host: 'n1', port: 7000 },
          { host: 'n2', port: 7001 },
          { host: 'n3', port: 6379 },
        ],
        password: 'secret',
      });
      assert.deepEqual(parseRedisUrl('redis-cluster://alice:pw@n1:7000'), { kind: 'cluster', nodes: [{ host: 'n1', port: 7000 }], username: 'alice', password: 'pw' });
    });

    it('needs at least one node', () => {
      rejects('redis-cluster://', /redis-cluster:\/\/ URL needs at least one host:port/);
      rejects('redis-cluster://:hunter2@', /at least one host:port/, 'hunter2');
    });

    it('rejects a db, since a Cluster has only db 0', () => {
      rejects('redis-cluster://n1:7000/2', /Redis Cluster has only db 0: remove "\/2"/);
      rejects('redis-cluster://n1:7000?db=2', /Redis Cluster has only db 0/);
    });
  });

  describe('other schemes', () => {
    it('name the scheme and every supported form', () => {
      rejects('http://x', /scheme "http" is not supported: use redis:\/\/host:port, rediss:\/\/host:port, redis-sentinel:\/\/host:port\[,host:port\]\/<master> or redis-cluster:\/\/host:port\[,host:port\]/);
      rejects('127.0.0.1:6379', /scheme "\(none\)" is not supported/);
      rejects('', /Redis URL is empty: use redis:\/\//);
      assert.ok(REDIS_URL_FORMS.includes('redis-sentinel://host:port[,host:port]/<master>'));
    });

    it('never echo a password given to an unknown scheme', () => {
      rejects('sentinel://:hunter2@s1:26379/m', /scheme "sentinel" is not supported/, 'hunter2');
    });
  });
});

describe('wire/redis-url: masking', () => {
  it('maskRedisUrl hides the password of every form and keeps the user name', () => {
    assert.equal(maskRedisUrl('redis://:hunter2@r:6379/0'), 'redis://:***@r:6379/0');
    assert.equal(maskRedisUrl('rediss://alice:hunter2@r:6380'), 'rediss://alice:***@r:6380');
    assert.equal(maskRedisUrl('redis-sentinel://:hunter2@s1:26379,s2:26379/m?db=1'), 'redis-sentinel://:***@s1:26379,s2:26379/m?db=1');
    assert.equal(maskRedisUrl('redis-cluster://alice:hunter2@n1:7000,n2:7001'), 'redis-cluster://alice:***@n1:7000,n2:7001');
  });

  it('maskRedisUrl leaves a URL without a password as it is', () => {
    for (const url of ['redis://r:6379', 'redis://alice@r:6379', 'redis-cluster://n1:7000', 'redis-sentinel://s1/m']) assert.equal(maskRedisUrl(url), url);
  });

  it('maskRedisUrl hides a password holding @ or /, whole', () => {
    assert.equal(maskRedisUrl('redis://:p@ss@r:6379'), 'redis://:***@r:6379');
    assert.equal(maskRedisUrl('redis-sentinel://:pa/ss@s1:26379/m'), 'redis-sentinel://:***@s1:26379/m');
  });

  it('maskRedisUrl hides sentinelPassword in the query', () => {
    assert.equal(maskRedisUrl('redis-sentinel://:pw@s1/m?sentinelPassword=hunter2&db=1'), 'redis-sentinel://:***@s1/m?sentinelPassword=***&db=1');
    assert.equal(maskRedisUrl('redis-sentinel://s1/m?db=1&sentinelpassword=hunter2'), 'redis-sentinel://s1/m?db=1&sentinelpassword=***');
  });

  it('maskSecretIn hides the URL and each password wherever a message echoes them', () => {
    const url = 'redis-sentinel://:hunter2@s1:26379/m?sentinelPassword=s3cret';
    const text = `connect to ${url} failed: auth hunter2 rejected by sentinel (s3cret)`;
    const masked = maskSecretIn(text, url);
    assert.ok(!masked.includes('hunter2') && !masked.includes('s3cret'), masked);
    assert.ok(masked.includes('redis-sentinel://:***@s1:26379/m?sentinelPassword=***'), masked);
  });

  it('maskSecretIn hides percent-encoded and decoded forms of a single-server password', () => {
    const url = 'redis://:p%40ss@r:6379';
    assert.equal(maskSecretIn('bad: p@ss and p%40ss', url), 'bad: *** and ***');
  });

  it('maskSecretIn hides the password of a URL it cannot parse', () => {
    const url = 'redis-sentinel://:hunter2@s1:26379';
    assert.ok(!maskSecretIn('failed with hunter2', url).includes('hunter2'));
  });

  it('maskSecretIn leaves text alone without a URL or a password', () => {
    assert.equal(maskSecretIn('plain text', undefined), 'plain text');
    assert.equal(maskSecretIn('plain text', 'redis://r:6379'), 'plain text');
  });
});
