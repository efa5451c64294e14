/**
 * Redis keys Taskyard adds beside BullMQ's own (`<prefix>:<queue>:*`). Every reader and writer
 * (runtime, client, operator, console) takes key names from here.
 *
 * | key                                   | type   | written by        | meaning                                            |
 * |---------------------------------------|--------|-------------------|----------------------------------------------------|
 * | `<prefix>:policy:<queue>`             | string | operator          | JSON QueuePolicy of a TaskQueue (api/queue-policy)  |
 * | `<prefix>:policy-changed`             | pubsub | operator          | message = queue name whose policy changed          |
 * | `<prefix>:revoked`                    | zset   | client, console   | member = task id, score = revoke time (ms); entries older than 7 d are trimmed |
 * | `<prefix>:revoke`                     | pubsub | client, console   | JSON {id, terminate} so running tasks abort        |
 * | `<prefix>:workers`                    | zset   | runtime           | member = worker id, score = last heartbeat (ms)    |
 * | `<prefix>:worker:<id>`                | string | runtime           | JSON worker info (pool, pod, queues, concurrency, active task ids), TTL 30 s |
 * |                                       |        |                   | fields: id, pool, pod, namespace, pid, queues, concurrency, active, startedAt, heartbeatAt, draining |
 * | `<prefix>:task:<id>`                  | hash   | runtime, client   | Taskyard markers: state overrides (REVOKED, RETRY), queue, name, timeline |
 * |                                       |        |                   | fields written today: queue, name (client, at enqueue); state=REVOKED, reason=revoked|expired, revokedAt (client revoke / runtime expiry) |
 * | `<prefix>:rate:<queue>:<minute>`      | string | runtime           | completed+failed count in that minute (throughput), TTL 2 h |
 * The dead-letter queue of `<queue>` is the BullMQ queue `<queue>.dead`.
 */
export const taskyardKeys = (prefix: string) => ({
  policy: (queue: string) => `${prefix}:policy:${queue}`,
  policyChanged: `${prefix}:policy-changed`,
  revoked: `${prefix}:revoked`,
  revokeChannel: `${prefix}:revoke`,
  workers: `${prefix}:workers`,
  worker: (id: string) => `${prefix}:worker:${id}`,
  task: (id: string) => `${prefix}:task:${id}`,
  rate: (queue: string, minute: number) => `${prefix}:rate:${queue}:${minute}`,
});

export const deadLetterQueueName = (queue: string): string => `${queue}.dead`;
