/**
 * An error the CLI reports as one line on stderr (no stack) before exiting non-zero.
 * Exit codes: 2 = the command line is wrong (flag, value, missing argument), 1 = the operation
 * failed, 3 = `result --timeout` passed before the task finished.
 */
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    message: string,
    readonly exitCode: 1 | 2 | 3 = 1,
  ) {
    super(message);
  }
}

/** A wrong command line: names the flag or argument and how to fix it. */
export const usageError = (message: string): CliError => new CliError(message, 2);
