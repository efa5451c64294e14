import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TokenSource } from '../src/http/token-source.js';

test('accepts only "Bearer <token>" with the exact token', () => {
  const t = new TokenSource({ token: 's3cret' });
  assert.equal(t.accepts('Bearer s3cret'), true);
  assert.equal(t.accepts('bearer s3cret'), true);
  assert.equal(t.accepts('Bearer s3cre'), false);
  assert.equal(t.accepts('s3cret'), false);
  assert.equal(t.accepts(undefined), false);
});

test('a token file (mounted Secret) is re-read, so rotation needs no restart', () => {
  const file = join(mkdtempSync(join(tmpdir(), 'console-token-')), 'token');
  writeFileSync(file, 'first\n');
  const t = new TokenSource({ file }, 0);
  assert.equal(t.accepts('Bearer first'), true);
  writeFileSync(file, 'second');
  assert.equal(t.accepts('Bearer first'), false);
  assert.equal(t.accepts('Bearer second'), true);
});

test('a missing or empty token file fails at start with the fix', () => {
  const dir = mkdtempSync(join(tmpdir(), 'console-token-'));
  assert.throws(() => new TokenSource({ file: join(dir, 'nope') }), /cannot read the console token file .*TASKYARD_CONSOLE_TOKEN/);
  writeFileSync(join(dir, 'empty'), '  \n');
  assert.throws(() => new TokenSource({ file: join(dir, 'empty') }), /is empty/);
});
