import { stringify } from 'yaml';
import { z } from 'zod';
import { API_GROUP, API_VERSION } from './api-group.js';
import { crdKinds, type CrdKind } from './crd-kinds.js';
import type { JsonSchemaNode } from './json-schema-node.js';
import { toStructuralSchema } from './to-structural-schema.js';

/** One generated file: its path relative to the repository root and its content. */
export interface RenderedFile {
  path: string;
  yaml: string;
}

const header = (kind: string) =>
  `# ${kind} CRD, generated from the zod schemas in api/src by api/src/generate-crds.ts.\n# Do not edit: change the schema and run \`make crds\`.\n`;

/** The openAPIV3Schema of one kind: apiVersion, kind, metadata, spec and status, structural. */
export function crdSchema(kind: CrdKind): JsonSchemaNode {
  const spec = toStructuralSchema(jsonSchemaOf(kind.spec), '#.properties.spec');
  const status = toStructuralSchema(jsonSchemaOf(kind.status), '#.properties.status');
  const root: JsonSchemaNode = {
    description: kind.resource.description ?? kind.kind,
    type: 'object',
    properties: {
      apiVersion: {
        description: 'APIVersion defines the versioned schema of this representation of an object.',
        type: 'string',
      },
      kind: { description: 'Kind is a string value representing the REST resource this object represents.', type: 'string' },
      metadata: { type: 'object' },
      spec: kind.specRequired ? spec : { ...spec, default: {} },
      status,
    },
  };
  if (kind.specRequired) root['required'] = ['spec'];
  if (kind.rootValidations.length > 0) root['x-kubernetes-validations'] = kind.rootValidations;
  return root;
}

/** The CustomResourceDefinition object of one kind. */
export function crdObject(kind: CrdKind): JsonSchemaNode {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: {
      name: `${kind.plural}.${API_GROUP}`,
      labels: { 'app.kubernetes.io/part-of': 'taskyard' },
    },
    spec: {
      group: API_GROUP,
      names: {
        kind: kind.kind,
        listKind: `${kind.kind}List`,
        plural: kind.plural,
        singular: kind.singular,
        shortNames: kind.shortNames,
        categories: ['taskyard'],
      },
      scope: 'Namespaced',
      versions: [
        {
          name: API_VERSION,
          served: true,
          storage: true,
          subresources: { status: {} },
          additionalPrinterColumns: kind.printerColumns,
          schema: { openAPIV3Schema: crdSchema(kind) },
        },
      ],
    },
  };
}

/**
 * Every generated file: `crds/<plural>.taskyard.dev.yaml` (plain manifests for kubectl) and
 * `charts/taskyard/templates/crds/<same>.yaml` (the same CRD gated by `.Values.crds.install`, kept
 * on uninstall when `.Values.crds.keep`). Pure: same schemas, same bytes.
 */
export function renderCrds(): RenderedFile[] {
  const files: RenderedFile[] = [];
  for (const kind of crdKinds) {
    const name = `${kind.plural}.${API_GROUP}.yaml`;
    const body = toYaml(crdObject(kind));
    if (body.includes('{{')) throw new Error(`${kind.kind} CRD contains "{{", which Helm would read as a template`);
    files.push({ path: `crds/${name}`, yaml: header(kind.kind) + body });
    files.push({ path: `charts/taskyard/templates/crds/${name}`, yaml: chartTemplate(kind.kind, body) });
  }
  return files;
}

function jsonSchemaOf(schema: z.ZodType): JsonSchemaNode {
  return z.toJSONSchema(schema, {
    target: 'openapi-3.0',
    io: 'input',
    reused: 'inline',
    cycles: 'throw',
    unrepresentable: 'throw',
  }) as JsonSchemaNode;
}

function toYaml(value: unknown): string {
  return stringify(value, { lineWidth: 0, aliasDuplicateObjects: false });
}

/** Inserts the keep annotation under metadata and wraps the CRD in the install switch. */
function chartTemplate(kind: string, body: string): string {
  const labelsLine = '  labels:\n';
  if (!body.includes(labelsLine)) throw new Error(`${kind} CRD: metadata.labels not found where the keep annotation goes`);
  const withKeep = body.replace(
    labelsLine,
    '  {{- if .Values.crds.keep }}\n  annotations:\n    helm.sh/resource-policy: keep\n  {{- end }}\n' + labelsLine,
  );
  return `{{- if .Values.crds.install }}\n${header(kind)}${withKeep}{{- end }}\n`;
}
