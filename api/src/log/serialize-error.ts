/** An error as it appears in a log line: name, message, stack, code, and its causes, outermost first. */
export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
  code?: string | number;
  /** The error's `cause` (itself serialized; a non-Error cause is kept as its JSON-safe value). */
  cause?: SerializedError | unknown;
  /** The errors of an AggregateError. */
  errors?: SerializedError[];
}

/** How deep a cause chain is followed (a cycle or an absurd chain stops here). */
const MAX_DEPTH = 8;

/**
 * A JSON-safe copy of an error with its stack and its whole `cause` chain (and an AggregateError's
 * errors). A value that is not an Error is returned as is. Pure.
 */
export function serializeError(error: unknown, depth = 0): SerializedError | unknown {
  if (!(error instanceof Error)) return error;
  const out: SerializedError = { name: error.name, message: error.message };
  if (error.stack) out.stack = error.stack;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' || typeof code === 'number') out.code = code;
  if (depth >= MAX_DEPTH) return out;
  if (error.cause !== undefined) out.cause = serializeError(error.cause, depth + 1);
  if (error instanceof AggregateError && Array.isArray(error.errors)) {
    out.errors = error.errors.map((e: unknown) => serializeError(e, depth + 1) as SerializedError);
  }
  return out;
}
