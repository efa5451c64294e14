/** A JSON value on one line, cut to `max` characters for tables. */
export function formatValue(value: unknown, max = 200): string {
  const text = value === undefined ? '' : JSON.stringify(value) ?? String(value);
  return text.length > max ? `${text.slice(0, max - 3)}...` : text;
}

/** An epoch-ms time as ISO-8601, or undefined. */
export function formatTime(ms: number | undefined): string | undefined {
  return ms === undefined ? undefined : new Date(ms).toISOString();
}

/** Text cut to `max` characters on one line, for table cells. */
export function truncate(text: string, max: number): string {
  const line = text.replace(/\s+/g, ' ');
  return line.length > max ? `${line.slice(0, max - 3)}...` : line;
}
