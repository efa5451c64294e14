import { spawn } from 'node:child_process';
import { CliError } from '../cli-error.js';
import type { CliIo } from '../cli-io.js';
import { resolvePackageBin } from '../resolve-package-bin.js';

export const consoleHelp = `Usage: taskyard console [flags]

Starts the Taskyard console (HTTP API and dashboard) from @taskyard/console. Flags go to its
\`taskyard-console\` command (--port, --host, --prefix, --queues; --redis is its --redis-url);
\`taskyard console --help\` lists them once it is installed.`;

/**
 * `taskyard console ...`: hands over to the `taskyard-console` bin of @taskyard/console, found at run
 * time (the client does not depend on the console). Exit code and output are the console's.
 */
export async function runConsoleCommand(argv: string[], io: CliIo): Promise<number> {
  const bin = resolvePackageBin('@taskyard/console', 'taskyard-console');
  if (bin === undefined) {
    if (argv.includes('--help') || argv.includes('-h')) io.stdout.write(`${consoleHelp}\n\n`);
    throw new CliError('console not installed: @taskyard/console could not be resolved (or is not built); install it next to @taskyard/client (npm install @taskyard/console; in the Taskyard repo: npx tsc -b console)');
  }
  // The CLI's global --redis is the console's --redis-url; everything else passes through.
  const args = argv.flatMap((arg) => (arg === '--redis' ? ['--redis-url'] : arg.startsWith('--redis=') ? [`--redis-url=${arg.slice(8)}`] : [arg]));
  const child = spawn(process.execPath, [bin, ...args], { stdio: 'inherit', env: io.env });
  const forward = (signal: NodeJS.Signals): void => {
    child.kill(signal);
  };
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  const code = await new Promise<number>((done) => child.once('exit', (c, s) => done(c ?? (s ? 1 : 0))));
  process.off('SIGINT', forward);
  process.off('SIGTERM', forward);
  return code;
}
