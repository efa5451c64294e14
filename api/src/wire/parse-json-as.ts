import type { z } from 'zod';

/** `text` parsed as JSON and checked against `schema`; undefined when it is not JSON or not of that shape. */
export function parseJsonAs<S extends z.ZodType>(schema: S, text: string): z.infer<S> | undefined {
  try {
    const parsed = schema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
