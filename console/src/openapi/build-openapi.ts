import { z } from 'zod';
import type { Route } from '../http/route.js';
import { ErrorBodySchema } from '../schemas/common-schemas.js';

type JsonSchema = Record<string, unknown>;

const statusText: Record<number, string> = {
  400: 'invalid request: `error.fields` names each wrong field',
  401: 'missing or wrong bearer token',
  404: 'not found',
  409: 'conflict with the task\'s current state',
  413: 'request body too large',
  415: 'body is not JSON',
  503: 'Redis (or the Kubernetes API) is unavailable; retry later',
};

/**
 * Turns zod schemas into the document's schemas. zod puts recursive parts (JSON values) in the
 * schema's own `$defs` with `#/$defs/...` refs, which inside an OpenAPI document would resolve
 * against the document root; they are moved to `components.schemas` under names prefixed with the
 * operation, and the refs re-pointed there.
 */
class SchemaWriter {
  readonly components: Record<string, JsonSchema> = {};

  schemaOf(schema: z.ZodType, io: 'input' | 'output', owner: string): JsonSchema {
    const json = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as JsonSchema;
    delete json.$schema;
    const defs = json.$defs as Record<string, JsonSchema> | undefined;
    delete json.$defs;
    if (!defs) return json;
    const rename = (local: string): string => `${owner}${local.replace(/^__schema(\d+)$/, 'Json$1')}`;
    const repoint = (node: unknown): unknown => {
      if (Array.isArray(node)) return node.map(repoint);
      if (!node || typeof node !== 'object') return node;
      return Object.fromEntries(
        Object.entries(node).map(([k, v]) => [
          k,
          k === '$ref' && typeof v === 'string' && v.startsWith('#/$defs/') ? `#/components/schemas/${rename(v.slice('#/$defs/'.length))}` : repoint(v),
        ]),
      );
    };
    for (const [local, def] of Object.entries(defs)) this.components[rename(local)] = repoint(def) as JsonSchema;
    return repoint(json) as JsonSchema;
  }
}

function parametersOf(writer: SchemaWriter, schema: z.ZodType | undefined, where: 'path' | 'query'): JsonSchema[] {
  if (!schema) return [];
  const json = writer.schemaOf(schema, 'input', 'Parameters');
  const properties = (json.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((json.required ?? []) as string[]);
  return Object.entries(properties).map(([name, prop]) => {
    const { description, ...rest } = prop;
    return { name, in: where, required: where === 'path' || required.has(name), schema: rest, ...(description ? { description } : {}) };
  });
}

/** Builds the OpenAPI 3.1 document from the routes' zod schemas (JSON Schema 2020-12 inside). */
export function buildOpenApi(routes: Route[], info: { version: string }): JsonSchema {
  const paths: Record<string, Record<string, JsonSchema>> = {};
  const writer = new SchemaWriter();
  writer.components.Error = writer.schemaOf(ErrorBodySchema, 'output', 'Error');
  const errorSchema = { $ref: '#/components/schemas/Error' };
  for (const route of routes) {
    const responses: Record<string, JsonSchema> = {
      [String(route.response.status)]: {
        description: route.response.description,
        content: { 'application/json': { schema: writer.schemaOf(route.response.schema, 'output', `${route.operationId}Response`) } },
      },
    };
    const errorStatuses = new Set([401, 503, ...(route.errors ?? []), ...(route.body || route.query || route.params ? [400] : [])]);
    for (const status of [...errorStatuses].sort()) {
      responses[String(status)] = { description: statusText[status] ?? 'error', content: { 'application/json': { schema: errorSchema } } };
    }
    const operation: JsonSchema = {
      operationId: route.operationId,
      summary: route.summary,
      tags: [route.tag],
      parameters: [...parametersOf(writer, route.params, 'path'), ...parametersOf(writer, route.query, 'query')],
      responses,
    };
    if (route.body) {
      operation.requestBody = { required: true, content: { 'application/json': { schema: writer.schemaOf(route.body, 'input', `${route.operationId}Body`) } } };
    }
    (paths[route.path] ??= {})[route.method.toLowerCase()] = operation;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Taskyard console API',
      version: info.version,
      description: 'See and steer Taskyard tasks: enqueue, status, revoke, retry, queues, workers, dead letters, schedules. Live updates: GET /api/events (text/event-stream).',
    },
    security: [{ bearer: [] }],
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } }, schemas: writer.components },
    paths,
  };
}
