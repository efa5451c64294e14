// Moved to the wire module (api/src/wire/queue-policy.ts); this re-export goes once the client imports from there.
export { readQueuePolicy, type QueuePolicyView } from '@taskyard/api/wire';
