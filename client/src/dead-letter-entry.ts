import type { DeadLetterRecord } from '@taskyard/api';

/** One entry of a dead-letter queue, as `client.deadLetters.list()` returns it. */
export interface DeadLetterEntry extends DeadLetterRecord {
  /** Id of the entry in `<queue>.dead` (pass it to replay). */
  id: string;
}
