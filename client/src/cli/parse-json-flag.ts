import { usageError } from './cli-error.js';

/** Parses `--flag JSON` as a JSON array; the error shows where the JSON broke and an example. */
export function parseJsonArrayFlag(flag: string, raw: string | undefined): unknown[] | undefined {
  if (raw === undefined) return undefined;
  const value = parseJson(flag, raw, `'[1, "two"]'`);
  if (!Array.isArray(value)) {
    throw usageError(`--${flag} must be a JSON array of positional arguments, got ${describe(value)}: e.g. --${flag} '[${JSON.stringify(value)}]'`);
  }
  return value;
}

/** Parses `--flag JSON` as a JSON object. */
export function parseJsonObjectFlag(flag: string, raw: string | undefined): Record<string, unknown> | undefined {
  if (raw === undefined) return undefined;
  const value = parseJson(flag, raw, `'{"key": "value"}'`);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw usageError(`--${flag} must be a JSON object of keyword arguments, got ${describe(value)}: e.g. --${flag} '{"key": "value"}'`);
  }
  return value as Record<string, unknown>;
}

function parseJson(flag: string, raw: string, example: string): unknown {
  try {
    return JSON.parse(raw) as unknown;
  } catch (err) {
    const shown = raw.length > 60 ? `${raw.slice(0, 57)}...` : raw;
    throw usageError(
      `--${flag} is not valid JSON (${(err as Error).message}): got ${JSON.stringify(shown)}; ` +
        `quote it for the shell, e.g. --${flag} ${example}`,
    );
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value} (${JSON.stringify(value)})`;
}
