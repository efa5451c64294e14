import type { Overview } from './types.js';

/** A mounted page: gets every live overview while shown. */
export interface View {
  onOverview?(overview: Overview): void;
  dispose?(): void;
}

/** What a page gets when it is mounted. */
export interface ViewContext {
  main: HTMLElement;
  params: URLSearchParams;
  /** The last overview received, if any. */
  overview: Overview | undefined;
  /** Navigate to a hash route, e.g. "#/tasks?queue=q". */
  go(hash: string): void;
  /** Show a short message at the top (errors in red). */
  flash(message: string, kind?: 'ok' | 'error'): void;
}
