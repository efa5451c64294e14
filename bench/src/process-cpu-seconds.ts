import { readFileSync, readdirSync } from 'node:fs';

/** Linux USER_HZ: /proc reports CPU times in these ticks (100 on every mainstream kernel config). */
const TICKS_PER_SECOND = 100;

/**
 * User + system CPU seconds of a live process and its live descendants (Celery's prefork children),
 * all threads, from /proc; 0 for a process that is gone.
 */
export function processCpuSeconds(pid: number | undefined): number {
  if (pid === undefined) return 0;
  let total = 0;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start at field 3; utime is 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    total += (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
    for (const thread of readdirSync(`/proc/${pid}/task`)) {
      const children = readFileSync(`/proc/${pid}/task/${thread}/children`, 'utf8').trim();
      for (const child of children ? children.split(' ') : []) total += processCpuSeconds(Number(child));
    }
  } catch {
    /* gone meanwhile */
  }
  return total;
}
