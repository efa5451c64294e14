import { existsSync, readFileSync, writeFileSync } from 'node:fs';

interface Summary {
  n: number;
  p50: number;
  p99: number;
}

/** The console benchmark's figures as written to results/console.json (the parts the table shows). */
export interface ConsoleFigures {
  date: string;
  machine: { cpus: number; cpuModel?: string | undefined; node: string };
  enqueue: {
    tasks: number;
    inFlight: number;
    sdk: { tasksPerSecond: number; latencyMs: Summary; cpuMicrosecondsPerTask: number };
    api: { tasksPerSecond: number; latencyMs: Summary; consoleCpuMicrosecondsPerTask: number };
    apiToSdkRatio: number;
    singleCall: { sdkMs: Summary; apiMs: Summary };
  };
  taskList: {
    tasksInQueue: number;
    pageSize: number;
    pages: number;
    budgetMs: number;
    firstPageMs: Summary;
    middlePageMs: Summary;
    lastPageMs: Summary;
    randomPageMs: Summary;
    searchNewest5000Ms: Summary;
    queuesOverviewMs: Summary;
    withinBudget: boolean;
  };
}

const START = '<!-- console:start -->';
const END = '<!-- console:end -->';

/** Writes (or replaces) the console section at the end of bench/README.md. */
export function renderReadmeSection(readmePath: string, f: ConsoleFigures): void {
  const pp = (s: Summary): string => `${s.p50} / ${s.p99}`;
  const e = f.enqueue;
  const t = f.taskList;
  const n = (x: number): string => x.toLocaleString('en-US');
  const section = `${START}
## console: API enqueue vs the SDK, task list with ${n(t.tasksInQueue)} tasks

\`bench/console/run.sh\` (the console's benchmark; builds \`bench/console\` and starts its own Redis)
runs the console as its own process (\`taskyard-console\`) and, on the same Redis in one run:
1. enqueues ${n(e.tasks)} tasks through \`POST /api/tasks\` (HTTP keep-alive, ${e.inFlight} in flight) and
   ${n(e.tasks)} through \`client.enqueue()\` of the SDK directly (same window), then ${n(e.singleCall.sdkMs.n)} of each one at a time;
2. fills one queue with ${n(t.tasksInQueue)} waiting tasks (\`enqueueBulk\`) and times the dashboard's list API
   (\`GET /api/tasks?state=waiting&pageSize=${t.pageSize}\`) on the first, middle, last and random pages
   (${t.randomPageMs.n} sequential requests each), plus search and the queues overview. Budget: ${t.budgetMs} ms per page.

Knobs: \`BENCH_CONSOLE_TASKS\` (100000), \`BENCH_CONSOLE_ENQUEUES\` (10000), \`BENCH_CONSOLE_WINDOW\` (32).
Figures: \`results/console.json\`. Run ${f.date} on ${f.machine.cpus} shared cores (${f.machine.cpuModel ?? 'unknown CPU'}), Node ${f.machine.node}.

| enqueue | tasks/s (${e.inFlight} in flight) | latency p50 / p99 ms | CPU µs per task | one at a time p50 / p99 ms |
|---|---:|---:|---:|---:|
| SDK \`client.enqueue\` (baseline) | ${e.sdk.tasksPerSecond} | ${pp(e.sdk.latencyMs)} | ${e.sdk.cpuMicrosecondsPerTask} (producer process) | ${pp(e.singleCall.sdkMs)} |
| console \`POST /api/tasks\` | ${e.api.tasksPerSecond} | ${pp(e.api.latencyMs)} | ${e.api.consoleCpuMicrosecondsPerTask} (console process) | ${pp(e.singleCall.apiMs)} |

API / SDK throughput: ${e.apiToSdkRatio}×. The console makes the same SDK call and adds HTTP handling
(zod validation of the body costs ~5 µs of it). On this shared 2-core machine (the bench's HTTP client,
the console and Redis compete with other work) throughput moves by 2-3× between runs; CPU per task
is the steadier figure.

| task list, ${n(t.tasksInQueue)} tasks | p50 / p99 ms |
|---|---:|
| first page | ${pp(t.firstPageMs)} |
| middle page (${t.pages / 2}) | ${pp(t.middlePageMs)} |
| last page (${t.pages}) | ${pp(t.lastPageMs)} |
| random pages | ${pp(t.randomPageMs)} |
| search by text (newest 5000 scanned) | ${pp(t.searchNewest5000Ms)} |
| queues overview | ${pp(t.queuesOverviewMs)} |

Every page within ${t.budgetMs} ms at p99: ${t.withinBudget ? 'yes' : 'NO'}. Search scans at most the newest 5000
tasks of a list (a task id is a direct lookup) and says in its answer when it did not reach the end.
${END}
`;
  const text = existsSync(readmePath) ? readFileSync(readmePath, 'utf8') : '# bench/\n';
  const start = text.indexOf(START);
  const end = text.indexOf(END);
  const next = start >= 0 && end > start
    ? text.slice(0, start) + section.trimEnd() + text.slice(end + END.length)
    : text.trimEnd() + '\n\n' + section;
  writeFileSync(readmePath, next);
}
