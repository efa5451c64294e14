/**
 * The Redis key layout: the one place every key and channel name of Taskyard is spelled out.
 * Every process (worker, SDK/CLI, console, operator, beat pods) takes names from here.
 *
 * A queue is identified by its Kubernetes namespace and its name (`QueueRef`). Every key of one
 * queue carries the hash tag `{<namespace>/<queue>}`, so on a Redis Cluster a queue lives on one
 * shard (BullMQ's scripts need all of a queue's keys in one slot) while many queues spread over all
 * shards. Keys shared by a namespace carry `{<namespace>}`. A namespace's ACL user is limited with
 * the patterns `namespaceAclPatterns(ns)` returns; nothing of another namespace matches them,
 * because namespace names cannot contain `/`, `{` or `}`.
 *
 * | key (P = prefix, default `taskyard`)       | type    | written by         | meaning |
 * |--------------------------------------------|---------|--------------------|---------|
 * | `P:{ns/q}:<bullmq suffix>`                 | BullMQ  | BullMQ             | the queue (BullMQ queue name `{ns/q}`, prefix P) |
 * | `P:{ns/q}.dead:<bullmq suffix>`            | BullMQ  | runtime            | its dead-letter queue (BullMQ queue name `{ns/q}.dead`), same slot |
 * | `P:{ns/q}:ty:policy`                       | string  | operator           | JSON QueuePolicy of the TaskQueue (wire/queue-policy) |
 * | `P:{ns/q}:ty:task:<id>`                    | hash    | client, runtime    | task marker (wire/task-marker): name, state overrides (REVOKED), reason |
 * | `P:{ns/q}:ty:expiry`                       | zset    | runtime            | retention: member task id, score = when its result expires (ms) |
 * | `P:{ns/q}:ty:rate:<minute>`                | string  | runtime            | tasks finished in that minute (throughput), TTL 2 h |
 * | `P:{ns}:queues`                            | set     | operator, client   | queue names of the namespace that were used or declared |
 * | `P:{ns}:workers`                           | zset    | runtime            | member worker id, score = last heartbeat (ms) |
 * | `P:{ns}:worker:<id>`                       | string  | runtime            | JSON worker info (wire/worker-registry), TTL 30 s |
 * | `P:{ns}:revoked`                           | zset    | client, console    | member task id, score = revoke time (ms), trimmed after 7 d |
 * | channel `P:{ns}:revoke`                    | pub/sub | client, console    | JSON {id, terminate}: running tasks abort |
 * | channel `P:{ns}:policy-changed`            | pub/sub | operator           | message = queue name whose policy changed |
 *
 * Taskyard's own per-queue keys sit under `:ty:` so no task id (ids never contain `:`) can collide
 * with them. The layout before namespaces (`P:<queue>:*`, `P:policy:<queue>`, ...) is not read:
 * see the README's "Upgrading" note for the migration (drain the queues, then upgrade).
 */

/** A queue: its namespace and its name. */
export interface QueueRef {
  namespace: string;
  name: string;
}

export const DEFAULT_NAMESPACE = 'default';

/** What a queue's dead-letter queue adds to its BullMQ name; no queue name may end with it. */
export const DEAD_LETTER_SUFFIX = '.dead';

/** Characters no namespace or queue name may hold: they would break the hash tags and ACL patterns. */
const FORBIDDEN = /[:{}/*?[\]\\\s]/;

/** Why `name` cannot be a queue or namespace name, or undefined when it can. */
export function invalidNameReason(kind: 'queue' | 'namespace', name: unknown): string | undefined {
  if (typeof name !== 'string' || name.length === 0) return `${kind} name must be a non-empty string`;
  if (name.length > 253) return `${kind} name "${name.slice(0, 40)}…" is longer than 253 characters`;
  if (FORBIDDEN.test(name)) return `${kind} name ${JSON.stringify(name)} must not contain ':', '/', '{', '}', '*', '?', '[', ']', '\\' or spaces`;
  if (kind === 'queue' && name.endsWith(DEAD_LETTER_SUFFIX)) return `queue name ${JSON.stringify(name)} must not end in ".dead" (reserved for dead-letter queues)`;
  return undefined;
}

/** Throws a TypeError naming the field when the ref is not valid. */
export function checkQueueRef(ref: QueueRef): QueueRef {
  const bad = invalidNameReason('namespace', ref.namespace) ?? invalidNameReason('queue', ref.name);
  if (bad) throw new TypeError(bad);
  return ref;
}

/** `ns/q`: how a queue is written in text (CLI, console, logs). */
export function formatQueueRef(ref: QueueRef): string {
  return `${ref.namespace}/${ref.name}`;
}

/** Reads `ns/q`, or `q` in `defaultNamespace`. Undefined when it is not a valid queue reference. */
export function parseQueueRef(text: string, defaultNamespace: string): QueueRef | undefined {
  const slash = text.indexOf('/');
  const ref = slash < 0 ? { namespace: defaultNamespace, name: text } : { namespace: text.slice(0, slash), name: text.slice(slash + 1) };
  return invalidNameReason('namespace', ref.namespace) ?? invalidNameReason('queue', ref.name) ? undefined : ref;
}

/** The BullMQ queue name of a queue: `{ns/q}` (the braces make it a Cluster hash tag). */
export function bullQueueName(ref: QueueRef): string {
  return `{${ref.namespace}/${ref.name}}`;
}

/** The BullMQ queue name of a queue's dead letters: `{ns/q}.dead` (same hash tag, same slot). */
export function bullDeadQueueName(ref: QueueRef): string {
  return `${bullQueueName(ref)}${DEAD_LETTER_SUFFIX}`;
}

/** The queue of a BullMQ queue name written by `bullQueueName` (dead-letter names too), else undefined. */
export function queueRefOfBullName(bullName: string): { ref: QueueRef; dead: boolean } | undefined {
  const m = /^\{([^/{}]+)\/([^/{}]+)\}(\.dead)?$/.exec(bullName);
  if (!m) return undefined;
  return { ref: { namespace: m[1] as string, name: m[2] as string }, dead: m[3] !== undefined };
}

/** Taskyard's keys under one prefix. */
export function taskyardKeys(prefix: string) {
  const q = (ref: QueueRef): string => `${prefix}:${bullQueueName(ref)}`;
  const ns = (namespace: string): string => `${prefix}:{${namespace}}`;
  return {
    prefix,
    /** BullMQ's own key of a job (`P:{ns/q}:<id>`), for EXISTS checks. */
    job: (ref: QueueRef, id: string) => `${q(ref)}:${id}`,
    /** BullMQ's meta hash of a queue: present once the queue was used. */
    bullMeta: (ref: QueueRef) => `${q(ref)}:meta`,
    policy: (ref: QueueRef) => `${q(ref)}:ty:policy`,
    task: (ref: QueueRef, id: string) => `${q(ref)}:ty:task:${id}`,
    expiry: (ref: QueueRef) => `${q(ref)}:ty:expiry`,
    rate: (ref: QueueRef, minute: number) => `${q(ref)}:ty:rate:${minute}`,
    queues: (namespace: string) => `${ns(namespace)}:queues`,
    workers: (namespace: string) => `${ns(namespace)}:workers`,
    worker: (namespace: string, id: string) => `${ns(namespace)}:worker:${id}`,
    revoked: (namespace: string) => `${ns(namespace)}:revoked`,
    revokeChannel: (namespace: string) => `${ns(namespace)}:revoke`,
    policyChanged: (namespace: string) => `${ns(namespace)}:policy-changed`,
    /** The job a BullMQ job key (`P:{ns/q}:<id>`, e.g. a flow child's key) names, else undefined. */
    jobOfKey: (key: string): { bullName: string; ref: QueueRef; dead: boolean; id: string } | undefined => {
      if (!key.startsWith(`${prefix}:`)) return undefined;
      const rest = key.slice(prefix.length + 1);
      const cut = rest.lastIndexOf(':');
      const bullName = rest.slice(0, cut);
      const id = rest.slice(cut + 1);
      const parsed = cut > 0 && id ? queueRefOfBullName(bullName) : undefined;
      return parsed ? { bullName, ref: parsed.ref, dead: parsed.dead, id } : undefined;
    },
    /** SCAN pattern of every namespace's worker registry (`P:{*}:workers`). */
    workersPattern: `${escapeGlob(prefix)}:{*}:workers`,
    /** The namespace of a worker registry key (`P:{ns}:workers`), else undefined. */
    namespaceOfWorkersKey: (key: string): string | undefined => {
      const head = `${prefix}:{`;
      const tail = '}:workers';
      if (!key.startsWith(head) || !key.endsWith(tail)) return undefined;
      const namespace = key.slice(head.length, -tail.length);
      return invalidNameReason('namespace', namespace) ? undefined : namespace;
    },
    /** SCAN pattern matching BullMQ meta keys of every queue (dead-letter queues too) of a namespace, or of all with `*`. */
    bullMetaPattern: (namespace: string | '*') => `${escapeGlob(prefix)}:{${namespace === '*' ? '*' : escapeGlob(namespace)}/*}*:meta`,
  };
}

export type TaskyardKeys = ReturnType<typeof taskyardKeys>;

/**
 * Redis ACL selectors that give a namespace's user its own keys and channels, and nothing of any
 * other namespace: `~P:{ns/*` (its queues), `~P:{ns}:*` (registry, revokes), `&P:{ns}:*` (channels).
 */
export function namespaceAclPatterns(prefix: string, namespace: string): { keys: string[]; channels: string[] } {
  const p = escapeGlob(prefix);
  return { keys: [`${p}:{${namespace}/*`, `${p}:{${namespace}}:*`], channels: [`${p}:{${namespace}}:*`] };
}

function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&');
}
