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

function schemaOf(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const json = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as JsonSchema;
  delete json.$schema;
  return json;
}

function parametersOf(schema: z.ZodType | undefined, where: 'path' | 'query'): JsonSchema[] {
  if (!schema) return [];
  const json = schemaOf(schema, 'input');
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
  const errorSchema = schemaOf(ErrorBodySchema, 'output');
  for (const route of routes) {
    const responses: Record<string, JsonSchema> = {
      [String(route.response.status)]: {
        description: route.response.description,
        content: { 'application/json': { schema: schemaOf(route.response.schema, 'output') } },
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
      parameters: [...parametersOf(route.params, 'path'), ...parametersOf(route.query, 'query')],
      responses,
    };
    if (route.body) {
      operation.requestBody = { required: true, content: { 'application/json': { schema: schemaOf(route.body, 'input') } } };
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
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    paths,
  };
}
