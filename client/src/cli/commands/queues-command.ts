import { usageError } from '../cli-error.js';
import type { CliIo } from '../cli-io.js';
import { globalFlagHelp, readGlobalFlags } from '../global-flags.js';
import { listQueueNames } from '../list-queue-names.js';
import { liveWorkers } from '../live-workers.js';
import { withClient } from '../open-client.js';
import { parseFlags } from '../parse-flags.js';
import { renderTable } from '../render-table.js';

export const queuesHelp = `Usage: taskyard queues [queue...] [flags]

Task counts per queue: waiting (incl. prioritized and paused), active, delayed (countdown, eta and
retry backoff), completed and failed results still kept, dead letters, and live workers. Without
names it lists every queue found under the prefix.

Flags:
${globalFlagHelp}`;

/** `taskyard queues` */
export async function runQueuesCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseFlags('queues', argv, {});
  if (values.help) {
    io.stdout.write(`${queuesHelp}\n`);
    return 0;
  }
  const flags = readGlobalFlags(values, io.env);
  const bad = positionals.find((q) => !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(q));
  if (bad !== undefined) throw usageError(`${JSON.stringify(bad)} is not a queue name: use letters, digits, ".", "_" and "-"`);
  return withClient(flags, async (client) => {
    const names = positionals.length > 0 ? positionals : await listQueueNames(client.connection, client.prefix);
    const [counts, workers] = await Promise.all([Promise.all(names.map((q) => client.queueCounts(q))), liveWorkers(client.connection, client.prefix)]);
    const rows = counts.map((c) => ({ ...c, workers: workers.filter((w) => w.queues.includes(c.queue)).length }));
    if (flags.json) {
      io.stdout.write(`${JSON.stringify(rows)}\n`);
      return 0;
    }
    io.stdout.write(renderTable(
      ['QUEUE', 'WAITING', 'ACTIVE', 'DELAYED', 'COMPLETED', 'FAILED', 'DEAD', 'WORKERS'],
      rows.map((r) => [r.queue, String(r.waiting + r.prioritized + r.paused + r.waitingChildren), String(r.active), String(r.delayed),
        String(r.completed), String(r.failed), String(r.dead), String(r.workers)]),
      `no queues under prefix "${client.prefix}" yet (enqueue a task or start a worker)`,
    ));
    return 0;
  });
}
