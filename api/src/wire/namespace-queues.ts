import { isCluster, type RedisConnection } from './connect-redis.js';
import { queueRefOfBullName, type QueueRef, type TaskyardKeys } from './keys.js';

/**
 * The queues of a namespace: `P:{ns}:queues` (a set of queue names, written by the operator for
 * declared TaskQueues and by the client the first time a process enqueues to a queue), plus every
 * queue BullMQ has a meta hash for (`P:{ns/q}:meta`, found by SCAN). Reading never writes and never
 * sends a multi-key command across slots: SCAN runs on every master of a Cluster, SMEMBERS reads one
 * key. Dead-letter queues are folded into their queue.
 */

/** Records that `ref` was used (SADD to its namespace's set); idempotent. */
export async function addNamespaceQueue(conn: RedisConnection, keys: TaskyardKeys, ref: QueueRef): Promise<void> {
  await conn.sadd(keys.queues(ref.namespace), ref.name);
}

/** How long a producer trusts that a queue it recorded is still in its namespace's set. */
export const QUEUE_RECORD_REFRESH_MS = 60_000;

/** Per connection: when each queue (`prefix\0ns/q`) was last recorded by this process. */
const recorded = new WeakMap<RedisConnection, Map<string, number>>();

/**
 * `addNamespaceQueue` for producers, at most once a minute per queue and connection, so the SADD
 * does not ride along with every enqueue. The refresh brings a queue back into the set within a
 * minute of its next use after the operator removed it (deletionPolicy Delete).
 */
export async function recordNamespaceQueue(conn: RedisConnection, keys: TaskyardKeys, ref: QueueRef, now = Date.now()): Promise<void> {
  let seen = recorded.get(conn);
  if (!seen) recorded.set(conn, (seen = new Map()));
  const key = `${keys.prefix}\u0000${ref.namespace}/${ref.name}`;
  const at = seen.get(key);
  if (at !== undefined && now - at < QUEUE_RECORD_REFRESH_MS) return;
  await addNamespaceQueue(conn, keys, ref);
  seen.set(key, now);
}

/** Every key matching `pattern` on one server, or on every master of a Cluster. */
export async function scanKeys(conn: RedisConnection, pattern: string): Promise<string[]> {
  const servers = isCluster(conn) ? conn.nodes('master') : [conn];
  const found: string[] = [];
  for (const server of servers) {
    let cursor = '0';
    do {
      const [next, batch] = await server.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      cursor = next;
      found.push(...batch);
    } while (cursor !== '0');
  }
  return found;
}

/**
 * The queues of `namespace` (or of every namespace with `'*'`), sorted by namespace then name.
 */
export async function listNamespaceQueues(conn: RedisConnection, keys: TaskyardKeys, namespace: string | '*'): Promise<QueueRef[]> {
  const byText = new Map<string, QueueRef>();
  const add = (ref: QueueRef): void => {
    byText.set(`${ref.namespace}/${ref.name}`, ref);
  };
  const metaSuffix = ':meta';
  for (const key of await scanKeys(conn, keys.bullMetaPattern(namespace))) {
    const bullName = key.slice(keys.prefix.length + 1, -metaSuffix.length);
    const parsed = queueRefOfBullName(bullName);
    if (parsed) add(parsed.ref);
  }
  const setKeys = namespace === '*' ? await scanKeys(conn, keys.queues('*')) : [keys.queues(namespace)];
  for (const setKey of setKeys) {
    const ns = namespaceOfSetKey(keys, setKey);
    if (ns === undefined) continue;
    for (const name of await conn.smembers(setKey)) add({ namespace: ns, name });
  }
  return [...byText.values()].sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
}

function namespaceOfSetKey(keys: TaskyardKeys, setKey: string): string | undefined {
  const head = `${keys.prefix}:{`;
  const tail = '}:queues';
  if (!setKey.startsWith(head) || !setKey.endsWith(tail)) return undefined;
  const ns = setKey.slice(head.length, -tail.length);
  return ns.length > 0 && !/[{}/:]/.test(ns) ? ns : undefined;
}
