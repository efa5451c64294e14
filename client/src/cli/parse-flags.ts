import { parseArgs, type ParseArgsConfig } from 'node:util';
import { usageError } from './cli-error.js';
import { globalFlagConfig } from './global-flags.js';

type Options = NonNullable<ParseArgsConfig['options']>;
type Parsed<T extends Options> = ReturnType<
  typeof parseArgs<{ args: string[]; options: typeof globalFlagConfig & T; allowPositionals: true; strict: true }>
>;

/**
 * node:util parseArgs for one subcommand, with the global flags added and its errors turned into
 * usage errors that name the subcommand and point at `--help`.
 */
export function parseFlags<T extends Options>(command: string, argv: string[], options: T): Parsed<T> {
  try {
    return parseArgs({ args: argv, options: { ...globalFlagConfig, ...options }, allowPositionals: true, strict: true });
  } catch (err) {
    const message = (err as Error).message.replace(/\. To specify a positional argument.*$/s, '');
    throw usageError(`${message} (see taskyard ${command} --help)`);
  }
}
