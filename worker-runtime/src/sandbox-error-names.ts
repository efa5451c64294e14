import type { TaskErrorNames } from '@taskyard/api';

/**
 * The error names a sandbox thread raises itself. A copy of part of TaskErrorNames (checked
 * against it at compile time) so sandbox threads do not load @taskyard/api and zod at start.
 */
export const SandboxErrorNames = {
  maxRetries: 'MaxRetriesExceeded',
  unknownTask: 'UnknownTask',
  revoked: 'TaskRevoked',
} as const satisfies Partial<typeof TaskErrorNames>;
