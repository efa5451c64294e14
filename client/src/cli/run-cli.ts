import { maskSecretIn } from '@taskyard/api/wire';
import { CliError } from './cli-error.js';
import type { CliIo } from './cli-io.js';
import { runConsoleCommand } from './commands/console-command.js';
import { runDeadCommand } from './commands/dead-command.js';
import { runDevCommand } from './commands/dev-command.js';
import { runEnqueueCommand } from './commands/enqueue-command.js';
import { runQueuesCommand } from './commands/queues-command.js';
import { runResultCommand } from './commands/result-command.js';
import { runRevokeCommand } from './commands/revoke-command.js';
import { runStatusCommand } from './commands/status-command.js';
import { globalFlagHelp } from './global-flags.js';

const commands: Record<string, { summary: string; run: (argv: string[], io: CliIo) => Promise<number> }> = {
  enqueue: { summary: 'put a task on a queue (Celery: apply_async / celery call)', run: runEnqueueCommand },
  status: { summary: 'state of a task (PENDING, STARTED, RETRY, SUCCESS, FAILURE, REVOKED)', run: runStatusCommand },
  result: { summary: "wait for a task's result (exit 1 on FAILURE/REVOKED, 3 on timeout)", run: runResultCommand },
  revoke: { summary: 'revoke a task; --terminate aborts it where it runs', run: runRevokeCommand },
  queues: { summary: 'queues of the namespace (-A: all) with task counts, dead letters included', run: runQueuesCommand },
  dead: { summary: 'dead-letter queues: list <queue> | replay <queue> [id...|--all]', run: runDeadCommand },
  dev: { summary: 'run the worker for a local bundle against a local Redis', run: runDevCommand },
  console: { summary: 'start the console (HTTP API and dashboard), when installed', run: runConsoleCommand },
};

export const mainHelp = `Usage: taskyard <command> [args] [flags]

Commands:
${Object.entries(commands).map(([name, c]) => `  ${name.padEnd(9)}${c.summary}`).join('\n')}

Global flags:
${globalFlagHelp}

\`taskyard <command> --help\` shows a command's flags.`;

/** Runs one command line and returns the process exit code; errors are printed, never thrown. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(`${mainHelp}\n`);
    return name === undefined ? 2 : 0;
  }
  const command = commands[name];
  if (command === undefined) {
    io.stderr.write(`taskyard: unknown command "${name}": use one of ${Object.keys(commands).join(', ')} (taskyard --help)\n`);
    return 2;
  }
  // Every error line is masked: no Redis password (from --redis or the environment) reaches stderr.
  const mask = (text: string): string => redisUrlsOf(rest, io.env).reduce((t, url) => maskSecretIn(t, url), text);
  try {
    return await command.run(rest, io);
  } catch (err) {
    const json = rest.includes('--json');
    if (err instanceof CliError) {
      const message = mask(err.message);
      io.stderr.write(json ? `${JSON.stringify({ error: 'CliError', message })}\n` : `taskyard ${name}: ${message}\n`);
      return err.exitCode;
    }
    const e = err as Error;
    const message = mask(e.message);
    io.stderr.write(json ? `${JSON.stringify({ error: e.name, message })}\n` : `taskyard ${name}: ${e.name}: ${message}\n`);
    if (io.env.TASKYARD_DEBUG) io.stderr.write(`${mask(e.stack ?? '')}\n`);
    return 1;
  }
}

/** The Redis URLs a command line may use: --redis values and the environment's. */
function redisUrlsOf(argv: string[], env: NodeJS.ProcessEnv): string[] {
  const urls = [env.TASKYARD_REDIS_URL, env.REDIS_URL];
  argv.forEach((arg, i) => urls.push(arg === '--redis' ? argv[i + 1] : arg.startsWith('--redis=') ? arg.slice('--redis='.length) : undefined));
  return urls.filter((u): u is string => typeof u === 'string' && u.length > 0);
}
