import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createJsonLogger, parseLogLevel, type LogLevel } from '../src/index.js';

function capture(level: LogLevel = 'debug', fields?: Record<string, unknown>) {
  const lines: { line: string; level: LogLevel }[] = [];
  const log = createJsonLogger({ level, ...(fields ? { fields } : {}), now: () => new Date(Date.UTC(2026, 0, 2, 3, 4, 5)), write: (line, lvl) => lines.push({ line, level: lvl }) });
  const records = () => lines.map((l) => JSON.parse(l.line) as Record<string, unknown>);
  return { log, lines, records };
}

describe('createJsonLogger', () => {
  it('writes one JSON line per call with time, level, msg, bound fields and call fields', () => {
    const { log, lines, records } = capture('info', { component: 'test' });
    log.child({ namespace: 'ns1' }).info('reconciled', { queue: 'q1', ms: 3 });
    assert.equal(lines.length, 1);
    assert.ok(lines[0]?.line.endsWith('\n'));
    assert.equal(lines[0]?.line.trimEnd().includes('\n'), false);
    assert.deepEqual(records()[0], { time: '2026-01-02T03:04:05.000Z', level: 'info', msg: 'reconciled', component: 'test', namespace: 'ns1', queue: 'q1', ms: 3 });
  });

  it('drops lines below its level and says which levels are enabled', () => {
    const { log, records } = capture('warn');
    log.debug('d');
    log.info('i');
    log.warn('w');
    log.error('e');
    assert.deepEqual(records().map((r) => r.level), ['warn', 'error']);
    assert.equal(log.enabled('info'), false);
    assert.equal(log.enabled('error'), true);
    assert.equal(log.child({ a: 1 }).enabled('info'), false);
  });

  it('writes an error with its name, message, stack, code and whole cause chain', () => {
    const { log, records } = capture();
    const root = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6379'), { code: 'ECONNREFUSED' });
    const middle = new TypeError('reading the policy failed', { cause: root });
    const top = new Error('reconcile of TaskQueue ns/q failed', { cause: middle });
    log.error('reconcile failed', { error: top });
    const error = records()[0]?.error as Record<string, any>;
    assert.equal(error.name, 'Error');
    assert.equal(error.message, 'reconcile of TaskQueue ns/q failed');
    assert.match(error.stack, /json-logger\.test/);
    assert.equal(error.cause.name, 'TypeError');
    assert.equal(error.cause.message, 'reading the policy failed');
    assert.match(error.cause.stack, /TypeError: reading the policy failed/);
    assert.equal(error.cause.cause.code, 'ECONNREFUSED');
    assert.equal(error.cause.cause.message, 'connect ECONNREFUSED 127.0.0.1:6379');
  });

  it('follows the errors of an AggregateError and stops on a cause cycle', () => {
    const { log, records } = capture();
    const a = new Error('a');
    const b = new Error('b', { cause: a });
    (a as { cause?: unknown }).cause = b; // a cycle
    log.warn('many', { error: new AggregateError([a, new RangeError('r')], 'two failed') });
    const error = records()[0]?.error as Record<string, any>;
    assert.equal(error.name, 'AggregateError');
    assert.deepEqual(error.errors.map((e: { message: string }) => e.message), ['a', 'r']);
    assert.equal(error.errors[0].cause.message, 'b');
  });

  it('never writes a Redis password: URLs in messages, fields and error stacks are masked', () => {
    const { lines, log } = capture();
    const secret = 's3cr3t-pw';
    log.info(`connecting to redis://app:${secret}@redis.example:6379/0`, {
      redis: `rediss://:${secret}@redis.example:6380`,
      sentinel: `redis-sentinel://u:${secret}@s1:26379,s2:26379/mymaster?sentinelPassword=${secret}`,
      nested: { urls: [`redis-cluster://u:${secret}@n1:7000,n2:7001`] },
      error: new Error(`cannot reach redis://x:${secret}@h:1`, { cause: new Error(`redis://y:${secret}@h:2 refused`) }),
    });
    const text = lines.map((l) => l.line).join('');
    assert.equal(text.includes(secret), false, text);
    assert.match(text, /redis:\/\/app:\*\*\*@redis\.example:6379\/0/);
    assert.match(text, /redis-sentinel:\/\/u:\*\*\*@s1:26379,s2:26379\/mymaster\?sentinelPassword=\*\*\*/);
    assert.match(text, /redis:\/\/y:\*\*\*@h:2 refused/);
  });

  it('still writes a line when a field cannot be serialised', () => {
    const { log, records } = capture();
    const loop: Record<string, unknown> = {};
    loop.self = loop;
    log.info('odd', { loop });
    assert.equal(records()[0]?.msg, 'odd');
    assert.match(String(records()[0]?.logError), /not serialisable/);
  });
});

describe('parseLogLevel', () => {
  it('reads a level, falls back when unset and names the setting when wrong', () => {
    assert.equal(parseLogLevel('WARN', 'TASKYARD_LOG_LEVEL'), 'warn');
    assert.equal(parseLogLevel(undefined, 'TASKYARD_LOG_LEVEL'), 'info');
    assert.equal(parseLogLevel('', '--log-level', 'error'), 'error');
    assert.throws(() => parseLogLevel('verbose', '--log-level'), /--log-level="verbose" is not a log level: use debug, info, warn or error/);
  });
});
