import { scanKeys } from '@taskyard/api/wire';
import type { ConsoleContext } from './console-context.js';

/**
 * Namespaces the console shows workers of: those of the known queues, the default one, and every
 * namespace with a worker registry (`P:{ns}:workers`, found by SCAN on every master), sorted.
 */
export async function knownNamespaces(ctx: ConsoleContext): Promise<string[]> {
  const found = new Set<string>([ctx.defaultNamespace]);
  for (const ref of await ctx.registry.refs()) found.add(ref.namespace);
  for (const key of await scanKeys(ctx.redis, ctx.keys.workersPattern)) {
    const ns = ctx.keys.namespaceOfWorkersKey(key);
    if (ns) found.add(ns);
  }
  return [...found].sort();
}
