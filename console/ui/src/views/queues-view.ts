import { throughputChart } from '../chart.js';
import { h, replace } from '../dom.js';
import type { Overview, QueueView } from '../types.js';
import type { View, ViewContext } from '../view.js';

const COLUMNS: Array<[keyof QueueView['counts'], string]> = [
  ['waiting', 'waiting'],
  ['prioritized', 'prioritized'],
  ['delayed', 'delayed'],
  ['active', 'active'],
  ['completed', 'completed'],
  ['failed', 'failed'],
  ['dead', 'dead'],
];

function card(q: QueueView): HTMLElement {
  const link = (list: string, n: number): HTMLElement =>
    list === 'dead'
      ? h('a', { href: `#/dead?queue=${encodeURIComponent(q.name)}` }, String(n))
      : h('a', { href: `#/tasks?queue=${encodeURIComponent(q.name)}&state=${list}` }, String(n));
  return h(
    'section',
    { class: 'card queue', 'data-queue': q.name, 'data-testid': `queue-${q.name}` },
    h('header', {}, h('h2', {}, h('a', { href: `#/tasks?queue=${encodeURIComponent(q.name)}` }, q.name)), q.paused ? h('span', { class: 'badge paused' }, 'paused') : null,
      h('span', { class: 'muted' }, `${q.workers} worker${q.workers === 1 ? '' : 's'}`)),
    h('dl', { class: 'counts' }, COLUMNS.map(([key, label]) => h('div', { class: `count count-${key}`, 'data-count': key }, h('dt', {}, label), h('dd', {}, link(key, q.counts[key]))))),
    h('div', { class: 'rate' },
      h('div', { class: 'rate-text' },
        h('div', {}, h('strong', { 'data-testid': 'this-minute' }, String(q.throughput.perMinute.at(-1)?.count ?? 0)), h('span', { class: 'muted' }, ' this minute')),
        h('div', {}, h('strong', { 'data-testid': 'last-minute' }, String(q.throughput.lastMinute)), h('span', { class: 'muted' }, ' last minute'))),
      throughputChart(q.throughput.perMinute)),
  );
}

/** Queues overview: counts and a throughput chart per queue, redrawn on every live update. */
export function queuesView(ctx: ViewContext): View {
  const grid = h('div', { class: 'grid' });
  replace(ctx.main, h('h1', {}, 'Queues'), grid);
  const draw = (o: Overview): void => {
    if (o.queues.length === 0) {
      replace(grid, h('p', { class: 'empty' }, 'No queues yet. Enqueue a task (POST /api/tasks, the SDK or `taskyard enqueue`) and it shows up here.'));
      return;
    }
    replace(grid, o.queues.map(card));
  };
  if (ctx.overview) draw(ctx.overview);
  else replace(grid, h('p', { class: 'muted' }, 'Connecting…'));
  return { onOverview: draw };
}
