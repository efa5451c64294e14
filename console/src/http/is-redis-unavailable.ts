/**
 * True when an error means Redis cannot be reached (connection refused or closed, offline queue
 * disabled, retries exhausted), as opposed to a bad command or a bug.
 */
export function isRedisUnavailable(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as NodeJS.ErrnoException).code;
  if (code && ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH'].includes(code)) return true;
  if (err.name === 'MaxRetriesPerRequestError' || err.name === 'RedisUnavailableError') return true;
  return /Connection is closed|Stream isn't writeable|enableOfflineQueue|connect ECONNREFUSED|Redis is unavailable|LOADING/.test(err.message);
}
