import { TaskAlreadyFinishedError, TaskNotFoundError } from '../../errors.js';
import { CliError, usageError } from '../cli-error.js';
import type { CliIo } from '../cli-io.js';
import { globalFlagHelp, readGlobalFlags } from '../global-flags.js';
import { withClient } from '../open-client.js';
import { parseFlags } from '../parse-flags.js';
import { parseQueueFlag } from '../queue-flag.js';

export const revokeHelp = `Usage: taskyard revoke <id> [flags]

Revokes a task (Celery: control.revoke). The revoke is stored in Redis, so a worker that picks the
task up later discards it, even after restarts. Exit 1, with nothing written, when no queue of the
namespace knows the id or the task already finished (SUCCESS or FAILURE cannot be revoked).

Flags:
  --terminate      also abort it if it is running, wherever it runs
  --queue NAME     queue of the task (NAME or namespace/NAME), when not found by its id
${globalFlagHelp}`;

/** `taskyard revoke <id> [--terminate]` */
export async function runRevokeCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseFlags('revoke', argv, {
    terminate: { type: 'boolean', default: false },
    queue: { type: 'string' },
  });
  if (values.help) {
    io.stdout.write(`${revokeHelp}\n`);
    return 0;
  }
  const flags = readGlobalFlags(values, io.env);
  const [id, ...extra] = positionals;
  if (id === undefined || id === '') throw usageError('missing <id>: pass the task id printed by taskyard enqueue');
  if (extra.length > 0) throw usageError(`unexpected arguments ${extra.join(' ')}: revoke takes one <id>`);
  const ref = values.queue !== undefined ? parseQueueFlag('--queue', values.queue, flags) : undefined;
  return withClient(flags, async (client) => {
    let outcome;
    try {
      outcome = await client.revoke(id, { ...(ref ? { queue: ref.name } : {}), terminate: values.terminate });
    } catch (err) {
      if (err instanceof TaskNotFoundError || err instanceof TaskAlreadyFinishedError) throw new CliError(err.message, 1);
      throw err;
    }
    const before = outcome.stateBefore;
    if (flags.json) {
      io.stdout.write(`${JSON.stringify({ id, queue: outcome.queue, revoked: true, terminate: values.terminate, stateBefore: before })}\n`);
    } else if (before === 'REVOKED') {
      io.stdout.write(`task ${id} was already revoked; nothing changed\n`);
    } else {
      io.stdout.write(`revoked ${id} (was ${before}${values.terminate && before === 'STARTED' ? '; running attempt aborted' : ''})\n`);
    }
    return 0;
  }, ref?.namespace);
}
