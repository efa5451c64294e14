import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EnqueueBodySchema } from '../src/schemas/task-schemas.js';
import { zodProblems } from '../src/http/zod-problems.js';

function problems(body: unknown): Array<{ field: string; message: string }> {
  const r = EnqueueBodySchema.safeParse(body);
  assert.equal(r.success, false, 'expected the body to be rejected');
  return r.success ? [] : zodProblems('body', r.error);
}

test('names a wrongly typed field by its path', () => {
  const p = problems({ name: 'x', args: 'nope' });
  assert.deepEqual(p.map((x) => x.field), ['body.args']);
});

test('names an unknown field so a typo is visible', () => {
  const p = problems({ name: 'x', countdwn: 5 });
  assert.deepEqual(p, [{ field: 'body.countdwn', message: 'unknown field; remove it or check its spelling' }]);
});

test('names nested fields with their index', () => {
  const p = problems({ name: 'x', backoff: { type: 'linear' } });
  assert.equal(p[0]?.field, 'body.backoff.type');
});

test('rejects countdown together with eta on the eta field', () => {
  const p = problems({ name: 'x', countdown: 10, eta: '2030-01-01T00:00:00Z' });
  assert.equal(p[0]?.field, 'body.eta');
  assert.match(p[0]?.message ?? '', /either countdown or eta/);
});

test('accepts a minimal body and fills defaults', () => {
  const r = EnqueueBodySchema.parse({ name: 'emails.send' });
  assert.deepEqual(r.args, []);
  assert.deepEqual(r.kwargs, {});
});
