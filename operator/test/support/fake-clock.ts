import type { Clock } from '../../src/clock/clock.js';

/** A clock that moves only when told: timing rules are tested without waiting. */
export class FakeClock implements Clock {
  #now: number;

  constructor(start: number | string) {
    this.#now = typeof start === 'number' ? start : Date.parse(start);
  }

  now(): number {
    return this.#now;
  }

  advance(ms: number): void {
    this.#now += ms;
  }
}
