import { isSchemaNode, type JsonSchemaNode } from './json-schema-node.js';

/** Keywords zod may emit that a CRD schema (apiextensions.k8s.io/v1 JSONSchemaProps) does not take. */
const droppedKeywords = new Set([
  '$schema',
  '$id',
  'id',
  '$comment',
  '$defs',
  'definitions',
  'propertyNames',
  'examples',
  'readOnly',
  'writeOnly',
  'contentEncoding',
  'contentMediaType',
]);

/** Order of keywords in the rendered YAML, so a reader sees description and type first. */
const keywordOrder = [
  'description',
  'type',
  'format',
  'default',
  'enum',
  'pattern',
  'minLength',
  'maxLength',
  'minimum',
  'maximum',
  'minItems',
  'maxItems',
  'items',
  'properties',
  'required',
  'additionalProperties',
];

/**
 * Rewrites the OpenAPI 3.0 output of `z.toJSONSchema` into a Kubernetes structural schema:
 * - `$ref` is refused (schemas must be rendered with `reused: "inline"`, `cycles: "throw"`);
 * - an int-or-string union (`anyOf: [integer, string]`) becomes `x-kubernetes-int-or-string: true`
 *   (keeping the string branch's pattern); any other union is refused;
 * - `additionalProperties` goes when `properties` is there (Kubernetes prunes unknown fields; strict
 *   field validation rejects them) or when false; an empty one (`z.record(z.string(), z.unknown())`)
 *   and empty `items` become `x-kubernetes-preserve-unknown-fields: true`;
 * - `const` becomes a one-value `enum`; zod's safe-integer bounds and unsupported keywords go;
 *   `date-time` strings keep their format and lose zod's long pattern.
 * Pure: returns a new object.
 */
export function toStructuralSchema(node: JsonSchemaNode, path = '#'): JsonSchemaNode {
  if ('$ref' in node) {
    throw new Error(`${path}: $ref ${String(node['$ref'])} left in the schema; render with reused: "inline" and no recursive types`);
  }
  const out: JsonSchemaNode = {};
  for (const [keyword, value] of Object.entries(node)) {
    if (droppedKeywords.has(keyword)) continue;
    out[keyword] = value;
  }

  for (const junctor of ['anyOf', 'oneOf'] as const) {
    const branches = out[junctor];
    if (branches === undefined) continue;
    const intOrString = intOrStringParts(branches);
    if (!intOrString) {
      throw new Error(`${path}: ${junctor} other than integer|string cannot be a structural schema; model it without a union`);
    }
    delete out[junctor];
    delete out['type'];
    out['x-kubernetes-int-or-string'] = true;
    if (typeof intOrString.pattern === 'string' && out['pattern'] === undefined) out['pattern'] = intOrString.pattern;
  }
  if (out['allOf'] !== undefined || out['not'] !== undefined) {
    throw new Error(`${path}: allOf/not are not rendered into CRDs; express the rule as a CEL x-kubernetes-validations`);
  }

  if ('const' in out) {
    out['enum'] = [out['const']];
    delete out['const'];
  }
  if (out['minimum'] === Number.MIN_SAFE_INTEGER) delete out['minimum'];
  if (out['maximum'] === Number.MAX_SAFE_INTEGER) delete out['maximum'];
  if (out['format'] === 'date-time') delete out['pattern'];
  if (Array.isArray(out['required']) && out['required'].length === 0) delete out['required'];

  const properties = out['properties'];
  if (isSchemaNode(properties)) {
    out['properties'] = Object.fromEntries(
      Object.entries(properties).map(([name, child]) => [name, toStructuralSchema(asNode(child, `${path}.properties.${name}`), `${path}.properties.${name}`)]),
    );
  }
  const additional = out['additionalProperties'];
  if (additional !== undefined) {
    if (additional === false || properties !== undefined) {
      delete out['additionalProperties'];
    } else if (additional === true || (isSchemaNode(additional) && Object.keys(additional).length === 0)) {
      delete out['additionalProperties'];
      out['x-kubernetes-preserve-unknown-fields'] = true;
    } else {
      out['additionalProperties'] = toStructuralSchema(asNode(additional, `${path}.additionalProperties`), `${path}.additionalProperties`);
    }
  }
  const items = out['items'];
  if (items !== undefined) {
    const itemNode = asNode(items, `${path}.items`);
    out['items'] =
      Object.keys(itemNode).length === 0
        ? { 'x-kubernetes-preserve-unknown-fields': true }
        : toStructuralSchema(itemNode, `${path}.items`);
  }
  return orderKeywords(out);
}

function intOrStringParts(branches: unknown): JsonSchemaNode | undefined {
  if (!Array.isArray(branches) || branches.length !== 2) return undefined;
  const nodes = branches.filter(isSchemaNode);
  const numeric = nodes.find((b) => b['type'] === 'integer' || b['type'] === 'number');
  const text = nodes.find((b) => b['type'] === 'string');
  return numeric && text ? text : undefined;
}

function asNode(value: unknown, path: string): JsonSchemaNode {
  if (!isSchemaNode(value)) throw new Error(`${path}: expected a schema object, got ${JSON.stringify(value)}`);
  return value;
}

function orderKeywords(node: JsonSchemaNode): JsonSchemaNode {
  const rank = (k: string) => {
    const i = keywordOrder.indexOf(k);
    return i >= 0 ? i : k.startsWith('x-kubernetes-') ? keywordOrder.length + 1 : keywordOrder.length;
  };
  return Object.fromEntries(
    Object.entries(node).sort(([a], [b]) => rank(a) - rank(b) || (rank(a) >= keywordOrder.length ? a.localeCompare(b) : 0)),
  );
}
