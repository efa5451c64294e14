import { parseQueueRef, type QueueRef } from '@taskyard/api/wire';
import { usageError } from './cli-error.js';
import type { GlobalFlags } from './global-flags.js';

/** A queue given on the command line: `q` (in --namespace) or `ns/q`; a usage error names the flag. */
export function parseQueueFlag(flag: string, text: string, flags: GlobalFlags): QueueRef {
  const ref = parseQueueRef(text, flags.namespace);
  if (ref === undefined) {
    throw usageError(`${flag} ${JSON.stringify(text)} is not a queue: write a queue name (letters, digits, ".", "_", "-") or namespace/queue, e.g. ${flag} emails or ${flag} team-a/emails`);
  }
  return ref;
}
