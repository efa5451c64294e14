import { formatQueueRef } from '@taskyard/api/wire';
import type { TaskHandle } from '../../task-handle.js';
import { CliError, usageError } from '../cli-error.js';
import type { CliIo } from '../cli-io.js';
import { formatTime, formatValue, truncate } from '../format-value.js';
import { globalFlagHelp, readGlobalFlags } from '../global-flags.js';
import { withClient } from '../open-client.js';
import { parseFlags } from '../parse-flags.js';
import { parseIntFlag } from '../parse-time-flags.js';
import { parseQueueFlag } from '../queue-flag.js';
import { renderTable } from '../render-table.js';

export const deadHelp = `Usage: taskyard dead list <queue> [--offset N] [--limit N] [flags]
       taskyard dead replay <queue> (<entry-id>... | --all) [flags]

Dead letters are tasks whose last attempt failed; they wait in <queue>.dead with their error.
\`list\` shows them newest first; \`replay\` enqueues them again under their task ids (fresh
attempts) and removes them from the dead-letter queue.

Flags:
  --offset N    list: skip this many (default 0)
  --limit N     list: show at most this many (default 100)
  --all         replay: every dead letter of the queue
${globalFlagHelp}`;

/** `taskyard dead list|replay <queue>` */
export async function runDeadCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseFlags('dead', argv, {
    offset: { type: 'string' },
    limit: { type: 'string' },
    all: { type: 'boolean', default: false },
  });
  if (values.help) {
    io.stdout.write(`${deadHelp}\n`);
    return 0;
  }
  const flags = readGlobalFlags(values, io.env);
  const [action, queue, ...ids] = positionals;
  if (action !== 'list' && action !== 'replay') {
    throw usageError(`${action === undefined ? 'missing action' : `unknown action "${action}"`}: use taskyard dead list <queue> or taskyard dead replay <queue> (<id>...|--all)`);
  }
  if (queue === undefined) {
    throw usageError(`missing <queue>: name the queue whose dead letters to ${action}, e.g. taskyard dead ${action} default`);
  }
  if (queue.endsWith('.dead')) {
    throw usageError(`pass the queue itself, not its dead-letter queue: taskyard dead ${action} ${queue.slice(0, -'.dead'.length)}`);
  }
  const ref = parseQueueFlag('<queue>', queue, flags);
  const deadName = `${formatQueueRef(ref)}.dead`;

  if (action === 'list') {
    if (ids.length > 0 || values.all) throw usageError('dead list takes only <queue> (ids and --all belong to dead replay)');
    const offset = parseIntFlag('offset', values.offset, 0, Number.MAX_SAFE_INTEGER) ?? 0;
    const limit = parseIntFlag('limit', values.limit, 1, 100_000) ?? 100;
    return withClient(flags, async (client) => {
      const entries = await client.deadLetters.list(ref.name, { offset, limit });
      if (flags.json) {
        io.stdout.write(`${JSON.stringify(entries)}\n`);
        return 0;
      }
      io.stdout.write(renderTable(
        ['ENTRY', 'TASK ID', 'TASK', 'ATTEMPTS', 'FAILED AT', 'ERROR', 'ARGS'],
        entries.map((e) => [e.id, e.taskId, e.message.name, String(e.attemptsMade), formatTime(e.failedAt) ?? '',
          truncate(`${e.error.name}: ${e.error.message}`, 80), formatValue(e.message.args, 60)]),
        `no dead letters in ${deadName}`,
      ));
      return 0;
    }, ref.namespace);
  }

  if (values.offset !== undefined || values.limit !== undefined) throw usageError('--offset and --limit belong to dead list');
  if (ids.length > 0 && values.all) throw usageError('give entry ids or --all, not both');
  if (ids.length === 0 && !values.all) {
    throw usageError(`name the entries to replay (ENTRY ids from taskyard dead list ${queue}) or pass --all`);
  }
  return withClient(flags, async (client) => {
    let handles: TaskHandle[];
    try {
      handles = await client.deadLetters.replay(ref.name, values.all ? undefined : ids);
    } catch (err) {
      if ((err as Error).message.includes('has no entries')) {
        throw new CliError(`${(err as Error).message.replace(/\(list them with deadLetters\.list\)/, `(see taskyard dead list ${queue})`)}; nothing was replayed`);
      }
      throw err;
    }
    if (flags.json) {
      io.stdout.write(`${JSON.stringify(handles.map((h) => h.toJSON()))}\n`);
    } else {
      io.stdout.write(handles.length === 0
        ? `no dead letters in ${deadName}: nothing to replay\n`
        : `replayed ${handles.length}: ${handles.map((h) => `${h.name} ${h.id}`).join(', ')}\n`);
    }
    return 0;
  }, ref.namespace);
}
