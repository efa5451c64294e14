import { taskHref } from '../task-links.js';
import { api } from '../api.js';
import { h, replace } from '../dom.js';
import type { ScheduleList } from '../types.js';
import type { View, ViewContext } from '../view.js';

function when(iso: string | undefined): string {
  return iso ? new Date(iso).toLocaleString() : '—';
}

/** Schedule resources from the cluster, with their next run. */
export function schedulesView(ctx: ViewContext): View {
  const box = h('div', {}, h('p', { class: 'muted' }, 'Loading…'));
  replace(ctx.main, h('h1', {}, 'Schedules'), box);
  let stopped = false;
  const load = async (): Promise<void> => {
    try {
      const list = await api<ScheduleList>('GET', '/api/schedules');
      if (stopped) return;
      replace(box,
        list.note ? h('p', { class: 'note', 'data-testid': 'schedules-note' }, list.note) : null,
        list.items.length === 0 ? h('p', { class: 'empty' }, 'No schedules.') : h('table', { class: 'list' },
          h('thead', {}, h('tr', {}, ['Schedule', 'Task', 'Queue', 'When', 'Next run', 'Last run', 'Last task', 'Ready'].map((c) => h('th', {}, c)))),
          h('tbody', {}, list.items.map((s) => h('tr', { 'data-schedule': `${s.namespace}/${s.name}` },
            h('td', {}, `${s.namespace}/${s.name}`),
            h('td', { class: 'mono' }, s.task),
            h('td', {}, s.queue),
            h('td', { class: 'mono' }, s.cron ? `${s.cron} (${s.timeZone ?? 'UTC'})` : s.every ? `every ${s.every}` : '—'),
            h('td', {}, s.suspend ? h('span', { class: 'badge paused' }, 'suspended') : when(s.nextRun)),
            h('td', {}, when(s.lastScheduleTime)),
            h('td', {}, s.lastTaskId ? h('a', { href: taskHref(s.lastTaskId, s.namespace), class: 'mono' }, s.lastTaskId.slice(0, 12)) : '—'),
            h('td', {}, s.ready ?? '—'))))));
    } catch (err) {
      if (!stopped) replace(box, h('p', { class: 'error' }, (err as Error).message));
    }
  };
  void load();
  const timer = setInterval(() => void load(), 15_000);
  return { dispose: () => { stopped = true; clearInterval(timer); } };
}
