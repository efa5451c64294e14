import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { lintStructuralSchema, toStructuralSchema, type JsonSchemaNode } from '../src/index.js';

const render = (schema: z.ZodType): JsonSchemaNode =>
  toStructuralSchema(z.toJSONSchema(schema, { target: 'openapi-3.0', io: 'input', reused: 'inline' }) as JsonSchemaNode);
const props = (node: JsonSchemaNode) => node['properties'] as Record<string, JsonSchemaNode>;

describe('toStructuralSchema', () => {
  it('turns an integer|string union into x-kubernetes-int-or-string, keeping the string pattern', () => {
    const out = render(z.strictObject({ q: z.union([z.int(), z.string().regex(/^[0-9]+m$/)]) }));
    assert.deepEqual(props(out)['q'], { pattern: '^[0-9]+m$', 'x-kubernetes-int-or-string': true });
  });

  it('drops additionalProperties: false of strict objects', () => {
    const out = render(z.strictObject({ a: z.string() }));
    assert.equal('additionalProperties' in out, false);
    assert.deepEqual(out['required'], ['a']);
  });

  it('keeps typed maps and marks free-form ones as preserving unknown fields', () => {
    const out = render(z.strictObject({ labels: z.record(z.string(), z.string()), extra: z.record(z.string(), z.unknown()), list: z.array(z.unknown()) }));
    assert.deepEqual(props(out)['labels'], { type: 'object', additionalProperties: { type: 'string' } });
    assert.deepEqual(props(out)['extra'], { type: 'object', 'x-kubernetes-preserve-unknown-fields': true });
    assert.deepEqual(props(out)['list'], { type: 'array', items: { 'x-kubernetes-preserve-unknown-fields': true } });
  });

  it("removes zod's safe-integer bounds but keeps real ones", () => {
    const out = render(z.strictObject({ n: z.int(), m: z.int().min(1).max(5) }));
    assert.deepEqual(props(out)['n'], { type: 'integer' });
    assert.deepEqual(props(out)['m'], { type: 'integer', minimum: 1, maximum: 5 });
  });

  it('turns const into a one-value enum and drops $schema', () => {
    const out = toStructuralSchema({ $schema: 'x', type: 'object', properties: { k: { type: 'string', const: 'A' } } });
    assert.deepEqual(out, { type: 'object', properties: { k: { type: 'string', enum: ['A'] } } });
  });

  it('keeps date-time format and drops the long pattern', () => {
    const out = render(z.strictObject({ t: z.iso.datetime({ offset: true }) }));
    assert.deepEqual(props(out)['t'], { type: 'string', format: 'date-time' });
  });

  it('inlines reused schemas (no $ref) and keeps descriptions and defaults', () => {
    const shared = z.strictObject({ n: z.int().default(3).describe('a number') });
    const out = render(z.strictObject({ a: shared, b: shared }));
    assert.deepEqual(props(props(out)['a']!)['n'], { description: 'a number', type: 'integer', default: 3 });
    assert.deepEqual(props(out)['a'], props(out)['b']);
    assert.deepEqual(lintStructuralSchema(out), []);
  });

  it('refuses a $ref and a union it cannot express, naming the path', () => {
    assert.throws(() => toStructuralSchema({ type: 'object', properties: { a: { $ref: '#/x' } } }), /#\.properties\.a: \$ref/);
    assert.throws(() => render(z.strictObject({ u: z.union([z.string(), z.boolean()]) })), /#\.properties\.u: anyOf other than integer\|string/);
  });

  it('orders keywords description, type first', () => {
    const out = render(z.strictObject({ d: z.string().default('x').describe('why') }));
    assert.deepEqual(Object.keys(props(out)['d']!), ['description', 'type', 'default']);
  });
});
