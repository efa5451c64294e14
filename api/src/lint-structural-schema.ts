import { isSchemaNode, type JsonSchemaNode } from './json-schema-node.js';

/** Keywords of apiextensions.k8s.io/v1 JSONSchemaProps that Taskyard's CRDs may use. */
const allowedKeywords = new Set([
  'description',
  'type',
  'format',
  'title',
  'default',
  'enum',
  'pattern',
  'minLength',
  'maxLength',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'minItems',
  'maxItems',
  'uniqueItems',
  'minProperties',
  'maxProperties',
  'items',
  'properties',
  'required',
  'additionalProperties',
  'nullable',
  'example',
  'anyOf',
  'oneOf',
  'allOf',
  'not',
  'x-kubernetes-int-or-string',
  'x-kubernetes-preserve-unknown-fields',
  'x-kubernetes-embedded-resource',
  'x-kubernetes-list-type',
  'x-kubernetes-list-map-keys',
  'x-kubernetes-map-type',
  'x-kubernetes-validations',
]);

const types = new Set(['object', 'array', 'string', 'integer', 'number', 'boolean']);
const listTypes = new Set(['atomic', 'set', 'map']);

/**
 * Checks a CRD's openAPIV3Schema against Kubernetes' structural-schema rules (and the extra
 * discipline of Taskyard's CRDs). Returns one message per problem, each starting with the JSON
 * path of the node; empty when the schema is fine.
 *
 * Rules: every node that is the root, a property, an additionalProperties value or array items has
 * a type, unless x-kubernetes-int-or-string or x-kubernetes-preserve-unknown-fields is true; no
 * $ref or unknown keyword; properties and additionalProperties never together, additionalProperties
 * never false; arrays have items; anyOf/oneOf/allOf/not only in the int-or-string form
 * (`anyOf: [{type: integer}, {type: string}]` beside x-kubernetes-int-or-string) and never setting
 * type, description, default, additionalProperties or nullable inside; an int-or-string node has no
 * type; uniqueItems is never true; required names declared properties; list-map keys are required
 * fields of the items; CEL rules have a rule and a message; metadata at the root only restricts
 * name and generateName.
 */
export function lintStructuralSchema(schema: unknown): string[] {
  const problems: string[] = [];
  if (!isSchemaNode(schema)) return ['#: the schema is not an object'];
  walk(schema, '#', true, problems);
  const metadata = isSchemaNode(schema['properties']) ? schema['properties']['metadata'] : undefined;
  if (isSchemaNode(metadata)) {
    if (metadata['type'] !== 'object') problems.push('#.properties.metadata: must be type object');
    const metaProps = isSchemaNode(metadata['properties']) ? Object.keys(metadata['properties']) : [];
    for (const name of metaProps) {
      if (name !== 'name' && name !== 'generateName') {
        problems.push(`#.properties.metadata.properties.${name}: only name and generateName may be restricted`);
      }
    }
  }
  return problems;
}

function walk(node: JsonSchemaNode, path: string, needsType: boolean, problems: string[]): void {
  const report = (message: string) => problems.push(`${path}: ${message}`);
  for (const keyword of Object.keys(node)) {
    if (keyword === '$ref') report('$ref is not allowed (inline the referenced schema)');
    else if (!allowedKeywords.has(keyword)) report(`keyword "${keyword}" is not supported in a CRD schema`);
  }
  const type = node['type'];
  const intOrString = node['x-kubernetes-int-or-string'] === true;
  const preserveUnknown = node['x-kubernetes-preserve-unknown-fields'] === true;
  if (type !== undefined && (typeof type !== 'string' || !types.has(type))) report(`type ${JSON.stringify(type)} is not a single known type`);
  if (needsType && type === undefined && !intOrString && !preserveUnknown) {
    report('has no type (set one, or x-kubernetes-int-or-string / x-kubernetes-preserve-unknown-fields)');
  }
  if ('x-kubernetes-int-or-string' in node && !intOrString) report('x-kubernetes-int-or-string must be true or absent');
  if ('x-kubernetes-preserve-unknown-fields' in node && !preserveUnknown) report('x-kubernetes-preserve-unknown-fields must be true or absent');
  if (intOrString && type !== undefined) report('x-kubernetes-int-or-string must not have a type');

  for (const junctor of ['anyOf', 'oneOf', 'allOf', 'not'] as const) {
    if (!(junctor in node)) continue;
    const branches = node[junctor];
    if (junctor === 'anyOf' && intOrString && isIntOrStringPair(branches)) continue;
    if (!intOrString) report(`${junctor} is only allowed in the int-or-string form (beside x-kubernetes-int-or-string: true)`);
    else report(`${junctor} beside x-kubernetes-int-or-string must be exactly [{type: integer}, {type: string}]`);
    for (const [i, branch] of (Array.isArray(branches) ? branches : [branches]).entries()) {
      if (!isSchemaNode(branch)) continue;
      for (const banned of ['type', 'description', 'default', 'additionalProperties', 'nullable']) {
        if (banned in branch) problems.push(`${path}.${junctor}[${i}]: must not set ${banned} inside ${junctor}`);
      }
    }
  }

  const properties = node['properties'];
  const additional = node['additionalProperties'];
  if (properties !== undefined && additional !== undefined) report('properties and additionalProperties must not be set together');
  if (additional === false) report('additionalProperties must not be false (Kubernetes prunes unknown fields)');
  if (node['uniqueItems'] === true) report('uniqueItems must not be true (use x-kubernetes-list-type: set)');
  if ((properties !== undefined || additional !== undefined) && type !== 'object' && type !== undefined) {
    report(`has properties but type ${String(type)}`);
  }
  if (type === 'array' && node['items'] === undefined) report('type array needs items');
  if (node['items'] !== undefined && type !== 'array') report('items needs type array');

  if (properties !== undefined) {
    if (!isSchemaNode(properties)) report('properties must be an object');
    else {
      for (const [name, child] of Object.entries(properties)) {
        if (!isSchemaNode(child)) problems.push(`${path}.properties.${name}: must be a schema object`);
        else walk(child, `${path}.properties.${name}`, true, problems);
      }
      const required = node['required'];
      if (required !== undefined) {
        if (!Array.isArray(required)) report('required must be a list');
        else for (const name of required) if (!(String(name) in properties)) report(`required names "${String(name)}", which is not a property`);
      }
    }
  }
  if (isSchemaNode(additional)) walk(additional, `${path}.additionalProperties`, true, problems);
  const items = node['items'];
  if (items !== undefined) {
    if (!isSchemaNode(items)) report('items must be one schema object');
    else walk(items, `${path}.items`, true, problems);
  }

  const listType = node['x-kubernetes-list-type'];
  if (listType !== undefined) {
    if (type !== 'array') report('x-kubernetes-list-type needs type array');
    if (typeof listType !== 'string' || !listTypes.has(listType)) report(`x-kubernetes-list-type ${JSON.stringify(listType)} is not atomic, set or map`);
    if (listType === 'map') {
      const keys = node['x-kubernetes-list-map-keys'];
      const itemRequired = isSchemaNode(items) && Array.isArray(items['required']) ? items['required'] : [];
      if (!Array.isArray(keys) || keys.length === 0) report('x-kubernetes-list-type map needs x-kubernetes-list-map-keys');
      else for (const key of keys) if (!itemRequired.includes(key)) report(`list-map key "${String(key)}" must be a required field of the items`);
    }
  }
  const validations = node['x-kubernetes-validations'];
  if (validations !== undefined) {
    if (!Array.isArray(validations)) report('x-kubernetes-validations must be a list');
    else
      for (const [i, v] of validations.entries()) {
        if (!isSchemaNode(v) || typeof v['rule'] !== 'string' || v['rule'] === '') problems.push(`${path}.x-kubernetes-validations[${i}]: needs a rule`);
        else if (typeof v['message'] !== 'string' || v['message'] === '') problems.push(`${path}.x-kubernetes-validations[${i}]: needs a message naming the field and the fix`);
      }
  }
}

function isIntOrStringPair(branches: unknown): boolean {
  if (!Array.isArray(branches) || branches.length !== 2) return false;
  const [a, b] = branches as unknown[];
  const isOnly = (v: unknown, t: string) => isSchemaNode(v) && v['type'] === t && Object.keys(v).length === 1;
  return (isOnly(a, 'integer') && isOnly(b, 'string')) || (isOnly(a, 'string') && isOnly(b, 'integer'));
}
