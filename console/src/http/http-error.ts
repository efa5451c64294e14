/** One field-level problem in a rejected request, e.g. `{field: "body.args", message: "expected array"}`. */
export interface FieldProblem {
  field: string;
  message: string;
}

/**
 * An error with an HTTP status that handlers throw; the router turns it into
 * `{error: {code, message, fields?}}`. Anything else thrown becomes a 500 (or 503 when Redis is down).
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields?: FieldProblem[],
  ) {
    super(message);
    this.name = 'HttpError';
  }
}
