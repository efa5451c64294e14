import type { z } from 'zod';

export type HttpMethod = 'GET' | 'POST' | 'DELETE';

/** What a handler receives: the validated path parameters, query and body. */
export interface RouteInput<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  /** Aborted when the client goes away. */
  signal: AbortSignal;
}

/**
 * One endpoint: its schemas are the single source for validation and for the OpenAPI document.
 * `path` uses OpenAPI's `{name}` placeholders.
 */
export interface Route<P extends z.ZodType = z.ZodType, Q extends z.ZodType = z.ZodType, B extends z.ZodType = z.ZodType, R extends z.ZodType = z.ZodType> {
  method: HttpMethod;
  path: string;
  operationId: string;
  summary: string;
  tag: string;
  params?: P;
  query?: Q;
  body?: B;
  response: { status: number; description: string; schema: R };
  /** False for endpoints that answer without Redis (they are not turned away while Redis is down). Default true. */
  needsRedis?: boolean;
  /** Error statuses this endpoint can answer with besides 401/503, for the OpenAPI document. */
  errors?: number[];
  /** Method syntax keeps the handler bivariant so routes of different shapes fit one list. */
  handle(input: RouteInput<z.output<P>, z.output<Q>, z.output<B>>): Promise<z.input<R>>;
}

/** Identity function that infers a route's schema types for its handler. */
export function defineRoute<P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType, R extends z.ZodType>(
  route: Route<P, Q, B, R>,
): Route {
  return route as unknown as Route;
}
