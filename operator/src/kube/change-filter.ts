import { isDeepStrictEqual } from 'node:util';

/**
 * Drops watch events that change nothing a reconciler reads (as controller-runtime's predicates do): each key's
 * last fingerprint is kept and an event passes only when its fingerprint differs. A delete always passes and
 * forgets the key. Without it, every status write of the operator and every status tick of a child Deployment
 * would queue a reconcile.
 */
export class ChangeFilter<T> {
  readonly #last = new Map<string, unknown>();
  readonly #fingerprint: (obj: T) => unknown;

  constructor(fingerprint: (obj: T) => unknown) {
    this.#fingerprint = fingerprint;
  }

  /** True when the event should be handled. */
  passes(key: string, obj: T, event: 'add' | 'update' | 'delete'): boolean {
    if (event === 'delete') {
      this.#last.delete(key);
      return true;
    }
    const next = this.#fingerprint(obj);
    const previous = this.#last.get(key);
    this.#last.set(key, next);
    return previous === undefined || !isDeepStrictEqual(previous, next);
  }
}
