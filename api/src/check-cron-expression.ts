interface CronField {
  name: string;
  min: number;
  max: number;
  names?: readonly string[];
}

const fields: readonly CronField[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day-of-month', min: 1, max: 31 },
  {
    name: 'month',
    min: 1,
    max: 12,
    names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'],
  },
  { name: 'day-of-week', min: 0, max: 7, names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] },
];

/** The CRD's shape check: five space-separated fields of cron characters (the full check is checkCronExpression). */
export const CRON_PATTERN = /^\s*[0-9A-Za-z*?,/-]+(\s+[0-9A-Za-z*?,/-]+){4}\s*$/;

/**
 * Checks a standard 5-field cron expression (minute hour day-of-month month day-of-week), as
 * Kubernetes CronJobs take it: `*`, `?` (day fields), numbers, names (JAN-DEC, SUN-SAT), ranges
 * `a-b`, steps `* /n` and `a-b/n`, lists `a,b`. Day-of-week 7 is Sunday.
 * Returns undefined when valid, else a message that names the field and what is wrong.
 */
export function checkCronExpression(expression: string): string | undefined {
  const parts = expression.trim().split(/\s+/);
  if (parts.length !== 5 || parts[0] === '') {
    return `needs 5 fields (minute hour day-of-month month day-of-week), got ${parts[0] === '' ? 0 : parts.length}: ${JSON.stringify(expression)}`;
  }
  for (const [index, field] of fields.entries()) {
    const problem = checkField(parts[index] ?? '', field);
    if (problem) return `${field.name} field ${JSON.stringify(parts[index])}: ${problem}`;
  }
  return undefined;
}

function checkField(text: string, field: CronField): string | undefined {
  for (const item of text.split(',')) {
    if (item === '') return 'has an empty list item';
    const [range, step, ...extra] = item.split('/');
    if (extra.length > 0) return `"${item}" has more than one "/"`;
    if (step !== undefined && !/^[0-9]+$/.test(step)) return `step "${step}" must be a positive whole number`;
    if (step !== undefined && Number(step) < 1) return 'step must be at least 1';
    if (range === '*' || (range === '?' && (field.name === 'day-of-month' || field.name === 'day-of-week'))) continue;
    if (range === undefined || range === '') return `"${item}" has no value before "/"`;
    const bounds = range.split('-');
    if (bounds.length > 2) return `"${range}" is not a value or a range a-b`;
    const values: number[] = [];
    for (const bound of bounds) {
      const value = fieldValue(bound, field);
      if (typeof value === 'string') return value;
      values.push(value);
    }
    const [from, to] = values as [number, number | undefined];
    if (to !== undefined && from > to) return `range "${range}" goes backwards`;
  }
  return undefined;
}

function fieldValue(text: string, field: CronField): number | string {
  if (/^[0-9]+$/.test(text)) {
    const value = Number(text);
    if (value < field.min || value > field.max) return `${value} is out of range ${field.min}-${field.max}`;
    return value;
  }
  const named = field.names?.indexOf(text.toUpperCase()) ?? -1;
  if (named >= 0) return named + (field.name === 'month' ? 1 : 0);
  if (field.names) return `"${text}" is neither a number ${field.min}-${field.max} nor one of ${field.names.join(', ')}`;
  return `"${text}" is not a number ${field.min}-${field.max}`;
}
