import { liveWorkers, tasksServedOn } from '@taskyard/api/wire';
import type { EnqueueOptions } from '../../enqueue-options.js';
import { CliError, usageError } from '../cli-error.js';
import type { CliIo } from '../cli-io.js';
import { globalFlagHelp, readGlobalFlags } from '../global-flags.js';
import { withClient } from '../open-client.js';
import { parseFlags } from '../parse-flags.js';
import { parseQueueFlag } from '../queue-flag.js';
import { HIGHEST_PRIORITY, LOWEST_PRIORITY } from '../../task-priority.js';
import { parseJsonArrayFlag, parseJsonObjectFlag } from '../parse-json-flag.js';
import { parseDateFlag, parseExpiresFlag, parseIntFlag, parseSecondsFlag } from '../parse-time-flags.js';
import { readFlagSource } from '../read-flag-source.js';

export const enqueueHelp = `Usage: taskyard enqueue <task> [flags]

Puts one task on a queue (Celery: apply_async / \`celery call\`) and prints its id. When a task
with that id already exists (same --idempotency-key), nothing is added: the id is printed, a note
goes to stderr and --json says "enqueued": false.

Flags:
  --args JSON              positional arguments, a JSON array (default []); @FILE or @- reads it
  --kwargs JSON            keyword arguments, a JSON object (default {}); @FILE or @- reads it
  --queue NAME             queue to put it on: NAME or namespace/NAME (default "default")
  --countdown SECONDS      run no earlier than this many seconds from now
  --eta TIME               run no earlier than this ISO-8601 time with zone (2030-01-01T09:00:00Z)
  --expires SECONDS|TIME   discard it if no worker started it by then (state REVOKED)
  --priority N             1 (highest, runs first) to 10 (lowest); default 5; FIFO within a priority
  --idempotency-key KEY    enqueueing the same key again returns the first task instead of a new one
  --no-check               skip the check that live workers on the queue know the task name
${globalFlagHelp}`;

/** `taskyard enqueue <task>`: validates every flag before anything is written. */
export async function runEnqueueCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseFlags('enqueue', argv, {
    args: { type: 'string' },
    kwargs: { type: 'string' },
    queue: { type: 'string' },
    countdown: { type: 'string' },
    eta: { type: 'string' },
    expires: { type: 'string' },
    priority: { type: 'string' },
    'idempotency-key': { type: 'string' },
    'no-check': { type: 'boolean', default: false },
  });
  if (values.help) {
    io.stdout.write(`${enqueueHelp}\n`);
    return 0;
  }
  const flags = readGlobalFlags(values, io.env);
  const [name, ...extra] = positionals;
  if (name === undefined || name === '') throw usageError('missing <task>: name the task to run, e.g. taskyard enqueue send_email --args \'["a@example.com"]\'');
  if (extra.length > 0) {
    throw usageError(`unexpected arguments after the task name: ${extra.join(' ')}; pass task arguments as JSON with --args '[...]' (quote it for the shell)`);
  }
  const args = parseJsonArrayFlag('args', readFlagSource('args', values.args)) ?? [];
  const kwargs = parseJsonObjectFlag('kwargs', readFlagSource('kwargs', values.kwargs));
  if (values.countdown !== undefined && values.eta !== undefined) throw usageError('give --countdown or --eta, not both');
  const options: EnqueueOptions = {};
  if (kwargs !== undefined) options.kwargs = kwargs;
  const queueRef = values.queue !== undefined ? parseQueueFlag('--queue', values.queue, flags) : undefined;
  if (queueRef !== undefined) options.queue = queueRef.name;
  const countdown = parseSecondsFlag('countdown', values.countdown);
  if (countdown !== undefined) options.countdown = countdown;
  const eta = parseDateFlag('eta', values.eta);
  if (eta !== undefined) options.eta = eta;
  const expires = parseExpiresFlag('expires', values.expires);
  if (expires !== undefined) options.expires = expires;
  const priority = parseIntFlag('priority', values.priority, HIGHEST_PRIORITY, LOWEST_PRIORITY);
  if (priority !== undefined) options.priority = priority;
  if (values['idempotency-key'] !== undefined) {
    if (values['idempotency-key'] === '') throw usageError('--idempotency-key must not be empty');
    options.idempotencyKey = values['idempotency-key'];
  }

  return withClient(flags, async (client) => {
    const queue = options.queue ?? client.route(name);
    // The task names live workers publish in the registry (wire/worker-registry.ts).
    const known = tasksServedOn(await liveWorkers(client.connection, client.keys, client.namespace), queue);
    if (!values['no-check'] && known !== undefined) {
      if (!known.has(name)) {
        throw new CliError(
          `unknown task "${name}": the workers consuming queue "${client.namespace}/${queue}" define ${[...known].sort().join(', ')}; ` +
            'check the name and --queue (or pass --no-check to enqueue it anyway). Nothing was enqueued.',
          2,
        );
      }
    }
    const handle = await client.enqueue(name, args, options);
    if (!handle.enqueued) {
      io.stderr.write(`taskyard enqueue: note: task ${handle.id} already exists; nothing was enqueued\n`);
    } else if (known === undefined) {
      io.stderr.write(`taskyard enqueue: note: no live worker consumes queue "${client.namespace}/${handle.queue}"; the task waits until one starts (taskyard dev <bundle> --queues ${handle.queue})\n`);
    }
    io.stdout.write(flags.json ? `${JSON.stringify(handle.toJSON())}\n` : `${handle.id}\n`);
    return 0;
  }, queueRef?.namespace);
}
