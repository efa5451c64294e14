import { parseQueueRef, type QueueRef } from '@taskyard/api/wire';
import { HttpError } from '../http/http-error.js';

/** The queue of `ns/q` or `q` (in `defaultNamespace`); a 400 naming `field` when the text is no queue. */
export function queueRefOf(text: string, defaultNamespace: string, field: string): QueueRef {
  const ref = parseQueueRef(text, defaultNamespace);
  if (!ref) throw new HttpError(400, 'invalid_request', `invalid ${field}: ${JSON.stringify(text)} is not a queue; write ns/q or q`, [{ field, message: 'not a queue' }]);
  return ref;
}
