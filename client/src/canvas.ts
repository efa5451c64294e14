import type { EnqueueOptions } from './enqueue-options.js';

/** One task call, not yet enqueued (Celery's `signature` / `.s()`). */
export interface Signature {
  readonly kind: 'task';
  readonly name: string;
  readonly args: readonly unknown[];
  readonly options: EnqueueOptions;
}

/** Tasks run one after another; each receives the previous result as its first argument. */
export interface ChainSignature {
  readonly kind: 'chain';
  readonly tasks: readonly Signature[];
}

/** Tasks run in parallel; the group's result is the array of their results, in order. */
export interface GroupSignature {
  readonly kind: 'group';
  readonly tasks: readonly Signature[];
}

/** A group whose results (in order) are passed as the first argument of a callback task. */
export interface ChordSignature {
  readonly kind: 'chord';
  readonly header: readonly Signature[];
  readonly callback: Signature;
}

export type Canvas = Signature | ChainSignature | GroupSignature | ChordSignature;

/** `task("emails.send", ["a@b.c"], {queue: "mail"})` - a signature. */
export function task(name: string, args: readonly unknown[] = [], options: EnqueueOptions = {}): Signature {
  return { kind: 'task', name, args, options };
}

/** `chain(a, b, c)`: b(resultOfA, ...b.args), then c(resultOfB, ...c.args). Result = c's. */
export function chain(...tasks: Signature[]): ChainSignature {
  if (tasks.length === 0) throw new TypeError('chain() needs at least one task signature');
  return { kind: 'chain', tasks };
}

/** `group(a, b, c)`: run in parallel; results in the order given. */
export function group(...tasks: Signature[]): GroupSignature {
  if (tasks.length === 0) throw new TypeError('group() needs at least one task signature');
  return { kind: 'group', tasks };
}

/** `chord([a, b], callback)` or `chord(group(a, b), callback)`: callback([resA, resB], ...callback.args). */
export function chord(header: readonly Signature[] | GroupSignature, callback: Signature): ChordSignature {
  const tasks = Array.isArray(header) ? (header as readonly Signature[]) : (header as GroupSignature).tasks;
  if (tasks.length === 0) throw new TypeError('chord() needs at least one header task');
  return { kind: 'chord', header: tasks, callback };
}
