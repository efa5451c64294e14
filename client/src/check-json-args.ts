import { NonJsonArgumentError } from './errors.js';

/**
 * Throws NonJsonArgumentError (naming the path, e.g. `args[1].user.cb`) for a value JSON cannot
 * carry faithfully: functions, symbols, BigInt, undefined, NaN/Infinity, cycles, Map/Set, typed
 * arrays and other class instances. Dates are accepted (they travel as ISO strings). Returns true
 * when a Date was seen (the values then change shape through JSON).
 */
export function checkJsonArgs(task: string, args: readonly unknown[], kwargs: Record<string, unknown>): boolean {
  const seen = new Set<object>();
  let sawDate = false;
  const visit = (value: unknown, path: string): void => {
    switch (typeof value) {
      case 'string':
      case 'boolean':
        return;
      case 'number':
        if (!Number.isFinite(value)) throw new NonJsonArgumentError(task, path, `is ${value}, which JSON cannot represent`);
        return;
      case 'bigint':
        throw new NonJsonArgumentError(task, path, 'is a BigInt (send it as a string)');
      case 'function':
        throw new NonJsonArgumentError(task, path, 'is a function');
      case 'symbol':
        throw new NonJsonArgumentError(task, path, 'is a symbol');
      case 'undefined':
        throw new NonJsonArgumentError(task, path, 'is undefined (use null or leave the key out)');
    }
    if (value === null) return;
    if (value instanceof Date) {
      sawDate = true;
      return;
    }
    const obj = value as object;
    if (seen.has(obj)) throw new NonJsonArgumentError(task, path, 'refers back to itself (circular structure)');
    seen.add(obj);
    if (Array.isArray(obj)) {
      obj.forEach((item, i) => visit(item, `${path}[${i}]`));
    } else {
      const proto = Object.getPrototypeOf(obj) as unknown;
      if (proto !== Object.prototype && proto !== null) {
        const kind = (obj as { constructor?: { name?: string } }).constructor?.name ?? 'object';
        throw new NonJsonArgumentError(task, path, `is a ${kind} instance, not a plain object`);
      }
      for (const [key, inner] of Object.entries(obj)) visit(inner, `${path}.${key}`);
    }
    seen.delete(obj);
  };
  args.forEach((arg, i) => visit(arg, `args[${i}]`));
  if (typeof kwargs !== 'object' || kwargs === null || Array.isArray(kwargs)) {
    throw new NonJsonArgumentError(task, 'kwargs', 'must be a plain object of keyword arguments');
  }
  for (const [key, value] of Object.entries(kwargs)) visit(value, `kwargs.${key}`);
  return sawDate;
}
