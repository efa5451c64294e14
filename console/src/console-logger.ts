import { createJsonLogger, type Logger, type LogLevel } from '@taskyard/api';

/** The console's logger: Taskyard's JSON lines (api/src/log), `component: taskyard-console`; errors on stderr. */
export function consoleLogger(level: LogLevel): Logger {
  return createJsonLogger({
    level,
    fields: { component: 'taskyard-console' },
    write: (line, lvl) => void (lvl === 'error' ? process.stderr : process.stdout).write(line),
  });
}
