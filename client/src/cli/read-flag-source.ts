import { readFileSync } from 'node:fs';
import { usageError } from './cli-error.js';

/**
 * A flag value that may name where the text is: `@FILE` reads a file, `@-` reads stdin; anything
 * else is the text itself. Large arguments need this: one command-line argument is capped at
 * 128 KiB on Linux.
 */
export function readFlagSource(flag: string, raw: string | undefined): string | undefined {
  if (raw === undefined || !raw.startsWith('@')) return raw;
  const path = raw.slice(1);
  try {
    return readFileSync(path === '-' ? 0 : path, 'utf8');
  } catch (err) {
    throw usageError(`--${flag} ${raw}: cannot read ${path === '-' ? 'stdin' : path} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
}
