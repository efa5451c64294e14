import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { crdKinds, lintStructuralSchema, renderCrds, type JsonSchemaNode } from '../src/index.js';
import { repositoryRoot } from './repository-root.js';

interface Crd {
  metadata: { name: string; annotations?: Record<string, string> };
  spec: {
    group: string;
    scope: string;
    names: { kind: string; plural: string; shortNames: string[]; categories: string[] };
    versions: {
      name: string;
      served: boolean;
      storage: boolean;
      subresources: { status: object };
      additionalPrinterColumns: { name: string; jsonPath: string }[];
      schema: { openAPIV3Schema: JsonSchemaNode };
    }[];
  };
}

const plainCrds = renderCrds().filter((f) => f.path.startsWith('crds/'));
const crdOf = (plural: string): Crd => {
  const file = plainCrds.find((f) => f.path === `crds/${plural}.taskyard.dev.yaml`);
  assert.ok(file, `no rendered CRD for ${plural}`);
  return parse(file.yaml) as Crd;
};
const version = (plural: string) => crdOf(plural).spec.versions[0]!;

/** Every x-kubernetes-validations rule in a schema, with the JSON path of its node. */
function celRules(node: unknown, path = '#'): { path: string; rule: string; message: string; fieldPath?: string }[] {
  if (typeof node !== 'object' || node === null) return [];
  const here = Array.isArray((node as JsonSchemaNode)['x-kubernetes-validations'])
    ? ((node as JsonSchemaNode)['x-kubernetes-validations'] as { rule: string; message: string; fieldPath?: string }[]).map((v) => ({ path, ...v }))
    : [];
  return here.concat(
    Object.entries(node).flatMap(([key, child]) => (key === 'x-kubernetes-validations' ? [] : celRules(child, `${path}.${key}`))),
  );
}

describe('generated CRDs', () => {
  it('are up to date on disk (crds/ and the chart); if this fails, run `make crds` and commit', async () => {
    const files = renderCrds();
    assert.equal(files.length, 6);
    for (const file of files) {
      let onDisk: string;
      try {
        onDisk = await readFile(join(repositoryRoot, file.path), 'utf8');
      } catch {
        assert.fail(`${file.path} is missing: run \`make crds\` and commit the result`);
      }
      assert.ok(onDisk === file.yaml, `${file.path} is stale (the zod schemas changed): run \`make crds\` and commit the result`);
    }
  });

  it('pass the structural-schema lint', () => {
    for (const kind of crdKinds) {
      const problems = lintStructuralSchema(version(kind.plural).schema.openAPIV3Schema);
      assert.deepEqual(problems, [], `${kind.kind}:\n${problems.join('\n')}`);
    }
  });

  it('contain no $ref, anyOf, definitions or additionalProperties beside properties anywhere', () => {
    for (const file of plainCrds) {
      assert.doesNotMatch(file.yaml, /\$ref|\$schema|definitions:|anyOf:|oneOf:|allOf:/, file.path);
      assert.doesNotMatch(file.yaml, /additionalProperties: false/, file.path);
    }
  });

  it('name the kinds, short names and category kubectl users type', () => {
    const expected = { taskqueues: ['TaskQueue', 'tq'], workerpools: ['WorkerPool', 'wp'], schedules: ['Schedule', 'sch'] };
    for (const [plural, [kind, shortName]] of Object.entries(expected)) {
      const crd = crdOf(plural);
      assert.equal(crd.metadata.name, `${plural}.taskyard.dev`);
      assert.equal(crd.spec.group, 'taskyard.dev');
      assert.equal(crd.spec.scope, 'Namespaced');
      assert.equal(crd.spec.names.kind, kind);
      assert.deepEqual(crd.spec.names.shortNames, [shortName]);
      assert.deepEqual(crd.spec.names.categories, ['taskyard']);
      const v = crd.spec.versions[0]!;
      assert.equal(v.name, 'v1alpha1');
      assert.equal(v.served && v.storage, true);
      assert.deepEqual(v.subresources, { status: {} });
    }
  });

  it('have the printer columns of kubectl get', () => {
    const columns = (plural: string) => version(plural).additionalPrinterColumns.map((c) => c.name);
    for (const name of ['Waiting', 'Active', 'Failed', 'Paused', 'Age']) assert.ok(columns('taskqueues').includes(name), name);
    for (const name of ['Queues', 'Desired', 'Ready', 'Age']) assert.ok(columns('workerpools').includes(name), name);
    for (const name of ['Cron', 'Every', 'Last', 'Next', 'Suspend', 'Age']) assert.ok(columns('schedules').includes(name), name);
  });

  it('print columns that point at fields of the schema', () => {
    for (const kind of crdKinds) {
      const v = version(kind.plural);
      for (const column of v.additionalPrinterColumns) {
        if (column.jsonPath.startsWith('.metadata.')) continue;
        let node: unknown = v.schema.openAPIV3Schema;
        // `.status.conditions[?(@.type=="Ready")].status`: a filter steps into the list's items.
        for (const part of column.jsonPath.replace(/\[\?\(.*?\)\]/g, '[]').slice(1).split('.')) {
          const name = part.replace(/\[\]$/, '');
          node = ((node as JsonSchemaNode)['properties'] as JsonSchemaNode | undefined)?.[name];
          if (part.endsWith('[]')) node = (node as JsonSchemaNode | undefined)?.['items'];
          assert.ok(node, `${kind.kind} column ${column.name}: ${column.jsonPath} is not in the schema`);
        }
      }
    }
  });

  it('carry every cross-field rule as CEL with a message, on the field it checks', () => {
    const rulesAt = (plural: string) => celRules(version(plural).schema.openAPIV3Schema);
    const find = (plural: string, path: string, message: RegExp) =>
      rulesAt(plural).find((r) => r.path === path && message.test(r.message));
    assert.ok(find('workerpools', '#.properties.spec.properties.autoscaling', /minReplicas must not exceed maxReplicas/)?.fieldPath === '.minReplicas');
    assert.ok(find('workerpools', '#.properties.spec.properties.bundle', /exactly one bundle source/));
    assert.ok(find('workerpools', '#.properties.spec', /replicas or autoscaling, not both/)?.fieldPath === '.replicas');
    assert.ok(find('workerpools', '#.properties.spec.properties.queues', /twice/));
    assert.ok(find('schedules', '#.properties.spec', /exactly one of cron or every/)?.fieldPath === '.cron');
    assert.ok(find('taskqueues', '#.properties.spec.properties.defaults.properties.timeLimit', /soft must be shorter than hard/)?.fieldPath === '.soft');
    assert.ok(find('taskqueues', '#', /\.dead/));
    for (const kind of crdKinds) {
      for (const rule of rulesAt(kind.plural)) assert.ok(rule.message.length > 10, `${kind.kind} ${rule.path}: rule without a message`);
    }
  });

  it('check a bundle URL digest with a 64-hex pattern and put defaults where users expect them', () => {
    const spec = (plural: string) => (version(plural).schema.openAPIV3Schema['properties'] as Record<string, JsonSchemaNode>)['spec']!;
    const prop = (node: JsonSchemaNode, ...names: string[]) =>
      names.reduce<JsonSchemaNode>((n, name) => (n['properties'] as Record<string, JsonSchemaNode>)[name]!, node);
    assert.equal(prop(spec('workerpools'), 'bundle', 'url', 'sha256')['pattern'], '^[0-9a-f]{64}$');
    assert.equal(prop(spec('workerpools'), 'concurrency')['default'], 1);
    assert.equal(prop(spec('workerpools'), 'autoscaling', 'minReplicas')['default'], 0);
    assert.equal(prop(spec('workerpools'), 'replicas')['default'], undefined, 'a replicas default would break replicas xor autoscaling');
    assert.equal(prop(spec('taskqueues'), 'deletionPolicy')['default'], 'Retain');
    assert.equal(prop(spec('taskqueues'), 'defaults', 'attempts')['default'], 4);
    assert.equal(prop(spec('schedules'), 'concurrencyPolicy')['default'], 'Allow');
    assert.equal(spec('taskqueues')['default'] !== undefined, true, 'TaskQueue spec may be omitted');
  });

  it('keep only free-form fields free-form', () => {
    const preserved: string[] = [];
    const walk = (node: unknown, path: string) => {
      if (typeof node !== 'object' || node === null) return;
      if ((node as JsonSchemaNode)['x-kubernetes-preserve-unknown-fields'] === true) preserved.push(`${path}`);
      for (const [key, child] of Object.entries(node)) walk(child, `${path}.${key}`);
    };
    for (const kind of crdKinds) walk(version(kind.plural).schema.openAPIV3Schema, kind.kind);
    assert.deepEqual(preserved.map((p) => p.replace(/\.properties\./g, '.')).sort(), [
      'Schedule.spec.args.items',
      'Schedule.spec.kwargs',
      'WorkerPool.spec.template.affinity',
      'WorkerPool.spec.template.env.items.valueFrom',
    ]);
  });

  it('make the chart copy the same CRD, behind crds.install, with the keep annotation behind crds.keep', () => {
    for (const plain of plainCrds) {
      const chart = renderCrds().find((f) => f.path === `charts/taskyard/templates/crds/${plain.path.slice('crds/'.length)}`);
      assert.ok(chart, `no chart template for ${plain.path}`);
      assert.match(chart.yaml, /^\{\{- if \.Values\.crds\.install \}\}\n/);
      assert.match(chart.yaml, /\n\{\{- end \}\}\n$/);
      // What Helm renders with install=true, keep=true: the template lines dropped, the rest kept.
      const rendered = chart.yaml
        .split('\n')
        .filter((line) => !/^\s*\{\{-/.test(line))
        .join('\n');
      const crd = parse(rendered) as Crd;
      assert.equal(crd.metadata.annotations?.['helm.sh/resource-policy'], 'keep');
      const { annotations: _annotations, ...metadata } = crd.metadata;
      assert.deepEqual({ ...crd, metadata }, parse(plain.yaml));
    }
  });
});
