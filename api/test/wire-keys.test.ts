import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  bullDeadQueueName,
  bullQueueName,
  namespaceAclPatterns,
  parseQueueRef,
  queueRefOfBullName,
  taskyardKeys,
} from '../src/wire/index.js';

/** Redis Cluster's hash tag rule: the part between the first `{` and the next `}`, when non-empty. */
function hashTag(key: string): string {
  const open = key.indexOf('{');
  const close = open < 0 ? -1 : key.indexOf('}', open + 1);
  return open >= 0 && close > open + 1 ? key.slice(open + 1, close) : key;
}

/** Redis glob match for the `*` patterns the ACL helper produces (no other wildcards are used). */
function globMatch(pattern: string, text: string): boolean {
  const re = new RegExp(`^${pattern.replace(/\\(.)/g, '$1').split('*').map((s) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('.*')}$`);
  return re.test(text);
}

describe('wire/keys: the Redis key layout', () => {
  const keys = taskyardKeys('taskyard');
  const a = { namespace: 'team-a', name: 'emails' };
  const b = { namespace: 'team-b', name: 'emails' };

  it('gives same-named queues in two namespaces different keys', () => {
    assert.notEqual(bullQueueName(a), bullQueueName(b));
    assert.notEqual(keys.policy(a), keys.policy(b));
    assert.notEqual(keys.task(a, 't1'), keys.task(b, 't1'));
  });

  it('keeps every key of one queue, its dead letters included, in one Cluster slot', () => {
    const bullKey = `taskyard:${bullQueueName(a)}:wait`;
    const deadKey = `taskyard:${bullDeadQueueName(a)}:wait`;
    const tags = new Set([bullKey, deadKey, keys.policy(a), keys.task(a, 'x'), keys.expiry(a), keys.rate(a, 1), keys.job(a, 'x')].map(hashTag));
    assert.deepEqual([...tags], ['team-a/emails']);
    assert.notEqual(hashTag(keys.policy({ namespace: 'team-a', name: 'reports' })), hashTag(keys.policy(a)));
  });

  it('keeps a namespace\'s shared keys in the namespace\'s slot', () => {
    const tags = new Set([keys.workers('team-a'), keys.worker('team-a', 'w1'), keys.revoked('team-a'), keys.queues('team-a')].map(hashTag));
    assert.deepEqual([...tags], ['team-a']);
  });

  it('ACL patterns of a namespace match its keys and none of another namespace', () => {
    const acl = namespaceAclPatterns('taskyard', 'team-a');
    const own = [`taskyard:${bullQueueName(a)}:wait`, `taskyard:${bullDeadQueueName(a)}:meta`, keys.policy(a), keys.task(a, 'x'), keys.workers('team-a'), keys.worker('team-a', 'w')];
    const other = [`taskyard:${bullQueueName(b)}:wait`, keys.policy(b), keys.workers('team-b'), keys.policy({ namespace: 'team-ab', name: 'q' }), keys.workers('team-ab')];
    for (const k of own) assert.ok(acl.keys.some((p) => globMatch(p, k)), `own key ${k} must match`);
    for (const k of other) assert.ok(!acl.keys.some((p) => globMatch(p, k)), `foreign key ${k} must not match`);
    assert.ok(acl.channels.some((p) => globMatch(p, keys.revokeChannel('team-a'))));
    assert.ok(!acl.channels.some((p) => globMatch(p, keys.revokeChannel('team-b'))));
  });

  it('round-trips BullMQ queue names and text references', () => {
    assert.deepEqual(queueRefOfBullName(bullQueueName(a)), { ref: a, dead: false });
    assert.deepEqual(queueRefOfBullName(bullDeadQueueName(a)), { ref: a, dead: true });
    assert.equal(queueRefOfBullName('emails'), undefined);
    assert.deepEqual(parseQueueRef('emails', 'team-a'), a);
    assert.deepEqual(parseQueueRef('team-b/emails', 'team-a'), b);
    assert.equal(parseQueueRef('a:b', 'team-a'), undefined);
    assert.equal(parseQueueRef('x.dead', 'team-a'), undefined);
  });

  it('the meta SCAN pattern finds a namespace\'s queues and not another\'s', () => {
    const pattern = keys.bullMetaPattern('team-a');
    assert.ok(globMatch(pattern, `taskyard:${bullQueueName(a)}:meta`));
    assert.ok(globMatch(pattern, `taskyard:${bullDeadQueueName(a)}:meta`));
    assert.ok(!globMatch(pattern, `taskyard:${bullQueueName(b)}:meta`));
    assert.ok(globMatch(keys.bullMetaPattern('*'), `taskyard:${bullQueueName(b)}:meta`));
  });
});
