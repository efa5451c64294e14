import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lintStructuralSchema } from '../src/index.js';

const object = (properties: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ type: 'object', properties, ...extra });

function assertFlags(schema: unknown, path: string, message: RegExp): void {
  const problems = lintStructuralSchema(schema);
  assert.ok(
    problems.some((p) => p.startsWith(`${path}: `) && message.test(p)),
    `expected a problem at ${path} matching ${message}, got:\n${problems.join('\n') || '(none)'}`,
  );
}

describe('lintStructuralSchema', () => {
  it('passes a well-formed structural schema', () => {
    const schema = object(
      {
        metadata: object({ name: { type: 'string', maxLength: 63 } }),
        spec: object(
          {
            replicas: { type: 'integer', minimum: 0 },
            size: { 'x-kubernetes-int-or-string': true },
            port: { anyOf: [{ type: 'integer' }, { type: 'string' }], 'x-kubernetes-int-or-string': true },
            labels: { type: 'object', additionalProperties: { type: 'string' } },
            args: { type: 'array', items: { 'x-kubernetes-preserve-unknown-fields': true } },
            extra: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
            conditions: {
              type: 'array',
              items: object({ type: { type: 'string' } }, { required: ['type'] }),
              'x-kubernetes-list-type': 'map',
              'x-kubernetes-list-map-keys': ['type'],
            },
          },
          { required: ['replicas'], 'x-kubernetes-validations': [{ rule: 'self.replicas >= 0', message: 'replicas must not be negative' }] },
        ),
      },
      { required: ['spec'] },
    );
    assert.deepEqual(lintStructuralSchema(schema), []);
  });

  it('flags a property without a type', () => {
    assertFlags(object({ spec: object({ name: { description: 'x' } }) }), '#.properties.spec.properties.name', /has no type/);
  });

  it('flags array items without a type and an array without items', () => {
    assertFlags(object({ spec: object({ list: { type: 'array', items: {} } }) }), '#.properties.spec.properties.list.items', /has no type/);
    assertFlags(object({ spec: object({ list: { type: 'array' } }) }), '#.properties.spec.properties.list', /needs items/);
  });

  it('flags a root without a type', () => {
    assertFlags({ properties: {} }, '#', /has no type/);
  });

  it('flags $ref and definitions', () => {
    assertFlags(object({ spec: { $ref: '#/definitions/Spec' } }), '#.properties.spec', /\$ref is not allowed/);
    assertFlags(object({ spec: object({}) }, { definitions: {} }), '#', /"definitions" is not supported/);
  });

  it('flags keywords Kubernetes does not take', () => {
    assertFlags(object({ spec: object({ a: { type: 'string', const: 'x' } }) }), '#.properties.spec.properties.a', /"const"/);
    assertFlags(object({ spec: object({}) }, { $schema: 'http://json-schema.org/draft-04/schema#' }), '#', /"\$schema"/);
    assertFlags(object({ spec: { type: 'object', additionalProperties: { type: 'string' }, propertyNames: { type: 'string' } } }), '#.properties.spec', /"propertyNames"/);
  });

  it('flags additionalProperties beside properties, and additionalProperties false', () => {
    assertFlags(object({ spec: object({ a: { type: 'string' } }, { additionalProperties: { type: 'string' } }) }), '#.properties.spec', /properties and additionalProperties/);
    assertFlags(object({ spec: object({ a: { type: 'string' } }, { additionalProperties: false }) }), '#.properties.spec', /must not be false/);
  });

  it('flags an int-or-string written as a plain anyOf', () => {
    assertFlags(object({ spec: object({ port: { anyOf: [{ type: 'integer' }, { type: 'string' }] } }) }), '#.properties.spec.properties.port', /anyOf is only allowed in the int-or-string form/);
  });

  it('flags an int-or-string with a type, or with another anyOf', () => {
    assertFlags(object({ spec: object({ port: { type: 'string', 'x-kubernetes-int-or-string': true } }) }), '#.properties.spec.properties.port', /must not have a type/);
    assertFlags(
      object({ spec: object({ port: { 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'boolean' }] } }) }),
      '#.properties.spec.properties.port',
      /exactly \[\{type: integer\}, \{type: string\}\]/,
    );
    assertFlags(object({ spec: object({ port: { type: 'integer', 'x-kubernetes-int-or-string': false } }) }), '#.properties.spec.properties.port', /must be true or absent/);
  });

  it('flags unions and types set inside them', () => {
    assertFlags(object({ spec: { type: 'object', oneOf: [{ required: ['a'] }, { required: ['b'] }] } }), '#.properties.spec', /oneOf is only allowed/);
    assertFlags(object({ spec: { type: 'object', allOf: [{ type: 'object', description: 'x' }] } }), '#.properties.spec.allOf[0]', /must not set type/);
  });

  it('flags uniqueItems, unknown types and required names that are not properties', () => {
    assertFlags(object({ spec: object({ l: { type: 'array', items: { type: 'string' }, uniqueItems: true } }) }), '#.properties.spec.properties.l', /uniqueItems/);
    assertFlags(object({ spec: object({ a: { type: ['string', 'null'] } }) }), '#.properties.spec.properties.a', /not a single known type/);
    assertFlags(object({ spec: object({ a: { type: 'string' } }, { required: ['b'] }) }), '#.properties.spec', /required names "b"/);
  });

  it('flags a list-map whose key is not a required field of the items', () => {
    assertFlags(
      object({ status: { type: 'array', items: object({ type: { type: 'string' } }), 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['type'] } }),
      '#.properties.status',
      /list-map key "type" must be a required field/,
    );
  });

  it('flags a CEL rule without a message', () => {
    assertFlags(object({ spec: object({}, { 'x-kubernetes-validations': [{ rule: 'true' }] }) }), '#.properties.spec.x-kubernetes-validations[0]', /needs a message/);
  });

  it('flags metadata restricted beyond name and generateName', () => {
    assertFlags(object({ metadata: object({ labels: { type: 'object', additionalProperties: { type: 'string' } } }) }), '#.properties.metadata.properties.labels', /only name and generateName/);
  });

  it('flags a schema that is not an object at all', () => {
    assert.deepEqual(lintStructuralSchema('nope'), ['#: the schema is not an object']);
  });
});
