import { usageError } from '../cli-error.js';
import type { CliIo } from '../cli-io.js';
import { formatTime, formatValue } from '../format-value.js';
import { globalFlagHelp, readGlobalFlags } from '../global-flags.js';
import { withClient } from '../open-client.js';
import { parseFlags } from '../parse-flags.js';
import { parseQueueFlag } from '../queue-flag.js';
import { renderFields } from '../render-table.js';

export const statusHelp = `Usage: taskyard status <id> [flags]

Shows a task's state (PENDING, STARTED, RETRY, SUCCESS, FAILURE, REVOKED), result or error,
progress and times. Without --queue the task is looked up in the namespace's queues. Unknown ids
report PENDING ("unknown id"), as in Celery.

Flags:
  --queue NAME     queue of the task (NAME or namespace/NAME), when not found by its id
${globalFlagHelp}`;

/** `taskyard status <id>` */
export async function runStatusCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseFlags('status', argv, { queue: { type: 'string' } });
  if (values.help) {
    io.stdout.write(`${statusHelp}\n`);
    return 0;
  }
  const flags = readGlobalFlags(values, io.env);
  const [id, ...extra] = positionals;
  if (id === undefined || id === '') throw usageError('missing <id>: pass the task id printed by taskyard enqueue');
  if (extra.length > 0) throw usageError(`unexpected arguments ${extra.join(' ')}: status takes one <id>`);
  const ref = values.queue !== undefined ? parseQueueFlag('--queue', values.queue, flags) : undefined;
  return withClient(flags, async (client) => {
    const status = await client.status(id, ref ? { queue: ref.name } : {});
    if (flags.json) {
      io.stdout.write(`${JSON.stringify(status)}\n`);
      return 0;
    }
    io.stdout.write(renderFields([
      ['id', status.id],
      ['state', status.name === undefined && status.state === 'PENDING' ? 'PENDING (unknown id, or its result expired)' : status.state],
      ['task', status.name],
      ['queue', status.queue],
      ['attempts made', String(status.attemptsMade)],
      ['progress', status.progress === undefined ? undefined : formatValue(status.progress)],
      ['result', status.state === 'SUCCESS' ? formatValue(status.result ?? null, 2000) : undefined],
      ['error', status.error ? `${status.error.name}: ${status.error.message}` : undefined],
      ['revoked', status.revokedReason],
      ['enqueued', formatTime(status.enqueuedAt)],
      ['started', formatTime(status.startedAt)],
      ['finished', formatTime(status.finishedAt)],
    ]));
    return 0;
  }, ref?.namespace);
}
