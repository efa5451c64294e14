/**
 * Celery's task_routes: task name pattern -> queue, first match wins. A pattern is an exact name,
 * a glob where `*` matches any run of characters ("emails.*"), or a RegExp.
 */
export class RouteTable {
  private readonly rules: Array<{ test: (name: string) => boolean; queue: string }>;

  constructor(routes: Array<[pattern: string | RegExp, queue: string]> | Record<string, string> = []) {
    const entries = Array.isArray(routes) ? routes : Object.entries(routes);
    this.rules = entries.map(([pattern, queue]) => {
      if (typeof queue !== 'string' || queue.length === 0) {
        throw new TypeError(`route ${String(pattern)}: queue must be a non-empty string`);
      }
      if (pattern instanceof RegExp) return { test: (name: string) => pattern.test(name), queue };
      if (!pattern.includes('*')) return { test: (name: string) => name === pattern, queue };
      const re = new RegExp(`^${pattern.split('*').map(escapeRegExp).join('.*')}$`);
      return { test: (name: string) => re.test(name), queue };
    });
  }

  /** The queue of the first route matching `taskName`, or undefined. */
  queueFor(taskName: string): string | undefined {
    return this.rules.find((rule) => rule.test(taskName))?.queue;
  }

  /** Every queue named by a route (for lookups that must search them). */
  queues(): string[] {
    return [...new Set(this.rules.map((r) => r.queue))];
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
