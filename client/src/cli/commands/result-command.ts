import { ResultTimeoutError, TaskFailedError, TaskRevokedError } from '../../errors.js';
import { CliError, usageError } from '../cli-error.js';
import type { CliIo } from '../cli-io.js';
import { globalFlagHelp, readGlobalFlags } from '../global-flags.js';
import { withClient } from '../open-client.js';
import { parseFlags } from '../parse-flags.js';
import { parseQueueFlag } from '../queue-flag.js';
import { parseSecondsFlag } from '../parse-time-flags.js';

export const resultHelp = `Usage: taskyard result <id> [flags]

Waits for a task to finish and prints its return value as JSON (Celery: AsyncResult.get()).
Exit codes: 0 SUCCESS, 1 FAILURE or REVOKED (the error goes to stderr), 3 still running at --timeout.

Flags:
  --timeout SECONDS   stop waiting after this long (default: wait until it finishes; 0 = do not wait)
  --queue NAME        queue of the task (NAME or namespace/NAME), when not found by its id
${globalFlagHelp}`;

/** `taskyard result <id>` */
export async function runResultCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseFlags('result', argv, { timeout: { type: 'string' }, queue: { type: 'string' } });
  if (values.help) {
    io.stdout.write(`${resultHelp}\n`);
    return 0;
  }
  const flags = readGlobalFlags(values, io.env);
  const [id, ...extra] = positionals;
  if (id === undefined || id === '') throw usageError('missing <id>: pass the task id printed by taskyard enqueue');
  if (extra.length > 0) throw usageError(`unexpected arguments ${extra.join(' ')}: result takes one <id>`);
  const timeout = parseSecondsFlag('timeout', values.timeout);
  const ref = values.queue !== undefined ? parseQueueFlag('--queue', values.queue, flags) : undefined;
  const queue = ref ? { queue: ref.name } : {};
  return withClient(flags, async (client) => {
    const first = await client.status(id, queue);
    if (first.name === undefined && first.state === 'PENDING' && timeout !== 0) {
      io.stderr.write(`taskyard result: task ${id} is not known yet (never enqueued, or its result expired); waiting for it${timeout === undefined ? ' (Ctrl-C to stop)' : ''}\n`);
    }
    try {
      const result = await client.result(id, { ...queue, ...(timeout !== undefined ? { timeout } : {}) });
      io.stdout.write(flags.json ? `${JSON.stringify({ id, state: 'SUCCESS', result: result ?? null })}\n` : `${JSON.stringify(result ?? null, null, 2)}\n`);
      return 0;
    } catch (err) {
      if (err instanceof TaskFailedError) {
        if (flags.json) {
          io.stdout.write(`${JSON.stringify({ id, state: 'FAILURE', error: { name: err.name, message: err.message, stack: err.remoteStack } })}\n`);
          return 1;
        }
        throw new CliError(`task ${id} failed: ${err.name}: ${err.message}${err.remoteStack ? `\n${indent(err.remoteStack)}` : ''}`);
      }
      if (err instanceof TaskRevokedError) {
        if (flags.json) {
          io.stdout.write(`${JSON.stringify({ id, state: 'REVOKED', reason: err.reason })}\n`);
          return 1;
        }
        throw new CliError(err.message);
      }
      if (err instanceof ResultTimeoutError) {
        if (flags.json) {
          io.stdout.write(`${JSON.stringify({ id, state: err.lastState, timedOut: true })}\n`);
          return 3;
        }
        throw new CliError(`task ${id} is still ${err.lastState} after ${values.timeout} s: wait longer with --timeout, or check it with taskyard status ${id}`, 3);
      }
      throw err;
    }
  }, ref?.namespace);
}

/** The remote stack's frames, indented; its first line repeats "Name: message" and is dropped. */
function indent(stack: string): string {
  const lines = stack.split('\n');
  const frames = /^\s*at /.test(lines[0] ?? '') ? lines : lines.slice(1);
  return frames.map((line) => `    ${line.trim()}`).join('\n');
}
