import { isFinalTaskState } from '@taskyard/api';
import { usageError } from '../cli-error.js';
import type { CliIo } from '../cli-io.js';
import { globalFlagHelp, readGlobalFlags } from '../global-flags.js';
import { withClient } from '../open-client.js';
import { parseFlags } from '../parse-flags.js';

export const revokeHelp = `Usage: taskyard revoke <id> [flags]

Revokes a task (Celery: control.revoke). The revoke is stored in Redis, so a worker that picks the
task up later discards it, even after restarts. A task that already finished keeps its state.

Flags:
  --terminate      also abort it if it is running, wherever it runs
  --queue NAME     queue of the task, when not the one it was enqueued on
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
  const queue = values.queue !== undefined ? { queue: values.queue } : {};
  return withClient(flags, async (client) => {
    const before = await client.status(id, queue);
    await client.revoke(id, { ...queue, terminate: values.terminate });
    const finished = isFinalTaskState(before.state) && before.state !== 'REVOKED';
    if (flags.json) {
      io.stdout.write(`${JSON.stringify({ id, revoked: true, terminate: values.terminate, stateBefore: before.state, alreadyFinished: finished })}\n`);
    } else if (finished) {
      io.stdout.write(`task ${id} had already finished (${before.state}); the revoke is recorded but changes nothing\n`);
    } else {
      io.stdout.write(`revoked ${id} (was ${before.state}${values.terminate && before.state === 'STARTED' ? '; running attempt aborted' : ''})\n`);
    }
    return 0;
  });
}
