/** A JSON Schema / OpenAPI schema object as plain JSON (what z.toJSONSchema returns and a CRD holds). */
export interface JsonSchemaNode {
  [keyword: string]: unknown;
}

export function isSchemaNode(value: unknown): value is JsonSchemaNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
