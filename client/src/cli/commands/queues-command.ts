import { formatQueueRef, listNamespaceQueues, liveWorkers, type QueueRef } from '@taskyard/api/wire';
import { TaskyardClient } from '../../taskyard-client.js';
import type { CliIo } from '../cli-io.js';
import { globalFlagHelp, readGlobalFlags } from '../global-flags.js';
import { withClient } from '../open-client.js';
import { parseFlags } from '../parse-flags.js';
import { parseQueueFlag } from '../queue-flag.js';
import { renderTable } from '../render-table.js';

export const queuesHelp = `Usage: taskyard queues [queue...] [flags]

Task counts per queue: waiting (incl. prioritized), active, delayed (countdown, eta and retry
backoff), completed and failed results still kept, dead letters, and live workers. Without names
it lists the queues of the namespace (declared by a TaskQueue, enqueued to, or holding jobs);
with -A those of every namespace, shown as namespace/queue. Reads only: nothing is written.

Flags:
  -A, --all-namespaces   every namespace's queues
${globalFlagHelp}`;

/** `taskyard queues` */
export async function runQueuesCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseFlags('queues', argv, { 'all-namespaces': { type: 'boolean', short: 'A', default: false } });
  if (values.help) {
    io.stdout.write(`${queuesHelp}\n`);
    return 0;
  }
  const flags = readGlobalFlags(values, io.env);
  const all = values['all-namespaces'];
  const given = positionals.map((q) => parseQueueFlag('queue', q, flags));
  return withClient(flags, async (client) => {
    const refs: QueueRef[] = given.length > 0 ? given : await listNamespaceQueues(client.connection, client.keys, all ? '*' : flags.namespace);
    const clients = new Map<string, TaskyardClient>();
    const clientOf = (namespace: string): TaskyardClient => {
      let c = clients.get(namespace);
      if (!c) clients.set(namespace, (c = new TaskyardClient({ connection: client.connection, prefix: client.prefix, namespace })));
      return c;
    };
    const namespaces = [...new Set(refs.map((r) => r.namespace))];
    try {
      const [counts, workerLists] = await Promise.all([
        Promise.all(refs.map((r) => clientOf(r.namespace).queueCounts(r.name))),
        Promise.all(namespaces.map((ns) => liveWorkers(client.connection, client.keys, ns))),
      ]);
      const rows = refs.map((ref, i) => {
        const workers = workerLists[namespaces.indexOf(ref.namespace)] ?? [];
        return { ...(counts[i] as NonNullable<(typeof counts)[number]>), namespace: ref.namespace, workers: workers.filter((w) => w.queues.includes(ref.name)).length };
      });
      if (flags.json) {
        io.stdout.write(`${JSON.stringify(rows)}\n`);
        return 0;
      }
      const label = (r: (typeof rows)[number]): string => (all || r.namespace !== flags.namespace ? formatQueueRef({ namespace: r.namespace, name: r.queue }) : r.queue);
      io.stdout.write(renderTable(
        ['QUEUE', 'WAITING', 'ACTIVE', 'DELAYED', 'COMPLETED', 'FAILED', 'DEAD', 'WORKERS'],
        rows.map((r) => [label(r), String(r.waiting + r.prioritized + r.paused + r.waitingChildren), String(r.active), String(r.delayed),
          String(r.completed), String(r.failed), String(r.dead), String(r.workers)]),
        all ? `no queues under prefix "${client.prefix}" yet (enqueue a task or start a worker)` : `no queues in namespace "${flags.namespace}" yet (enqueue a task or start a worker; -A lists every namespace)`,
      ));
      return 0;
    } finally {
      await Promise.all([...clients.values()].map((c) => c.close()));
    }
  });
}
