/** An error answer of the Kubernetes API server, with its HTTP status and Status reason. */
export class KubeApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly reason: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'KubeApiError';
  }

  static isNotFound(error: unknown): boolean {
    return error instanceof KubeApiError && error.statusCode === 404;
  }

  static isConflict(error: unknown): boolean {
    return error instanceof KubeApiError && error.statusCode === 409;
  }
}
