import { taskHref } from '../task-links.js';
import { ago, h, replace } from '../dom.js';
import type { Overview } from '../types.js';
import type { View, ViewContext } from '../view.js';

/** Workers from the runtime's registry (pod, pool, queues, concurrency, active tasks, heartbeat). */
export function workersView(ctx: ViewContext): View {
  const body = h('tbody');
  const table = h('table', { class: 'list' },
    h('thead', {}, h('tr', {}, ['Worker', 'Pool', 'Pod', 'Queues', 'Concurrency', 'Active tasks', 'Heartbeat', ''].map((c) => h('th', {}, c)))),
    body);
  const empty = h('p', { class: 'empty', hidden: true }, 'No workers have reported in the last 10 minutes.');
  replace(ctx.main, h('h1', {}, 'Workers'), table, empty);
  const draw = (o: Overview): void => {
    empty.hidden = o.workers.length > 0;
    replace(body, o.workers.map((w) => h('tr', { 'data-worker': w.id, class: w.alive ? '' : 'gone' },
      h('td', { class: 'mono' }, w.id),
      h('td', {}, w.pool ?? '—'),
      h('td', {}, w.pod ? `${w.namespace ? w.namespace + '/' : ''}${w.pod}` : w.host ?? '—'),
      h('td', {}, w.queues.join(', ')),
      h('td', {}, w.concurrency !== undefined ? `${w.active.length} / ${w.concurrency}` : String(w.active.length)),
      h('td', {}, w.active.length ? w.active.map((id) => h('a', { href: taskHref(id, w.namespace), class: 'mono chip' }, id.slice(0, 8))) : '—'),
      h('td', {}, ago(w.lastHeartbeat)),
      h('td', {}, !w.alive ? h('span', { class: 'badge state-failure' }, 'gone')
        : w.draining ? h('span', { class: 'badge paused', title: 'takes no new tasks; finishing running ones' }, 'draining')
        : h('span', { class: 'badge state-success' }, 'alive')))));
  };
  if (ctx.overview) draw(ctx.overview);
  return { onOverview: draw };
}
