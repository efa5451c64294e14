import { createJsonLogger, type Logger, type LogLevel } from '@taskyard/api';

/** The operator's logger: Taskyard's JSON lines (api/src/log), `component: taskyard-operator`; errors on stderr. */
export function operatorLogger(level: LogLevel): Logger {
  return createJsonLogger({
    level,
    fields: { component: 'taskyard-operator' },
    write: (line, lvl) => void (lvl === 'error' ? process.stderr : process.stdout).write(line),
  });
}
