import { namespaceOfQueue, taskHref } from '../task-links.js';
import { api } from '../api.js';
import { ago, h, replace } from '../dom.js';
import type { DeadLetterList, Overview } from '../types.js';
import type { View, ViewContext } from '../view.js';

const PAGE_SIZE = 25;

/** Dead letters of a queue: list, replay one or all, purge all. */
export function deadLettersView(ctx: ViewContext): View {
  const queue = ctx.params.get('queue') ?? ctx.overview?.queues.find((q) => q.counts.dead > 0)?.name ?? ctx.overview?.queues[0]?.name ?? '';
  const page = Math.max(1, Number(ctx.params.get('page') ?? '1') || 1);
  const select = h('select', { 'data-testid': 'dead-queue-select', onchange: (e) => ctx.go(`#/dead?queue=${encodeURIComponent((e.target as HTMLSelectElement).value)}`) });
  const info = h('p', { class: 'muted', 'data-testid': 'dead-info' });
  const body = h('tbody');
  const pager = h('nav', { class: 'pager' });
  const post = async (path: string, payload: unknown, done: (r: Record<string, unknown>) => string): Promise<void> => {
    try {
      const r = await api<Record<string, unknown>>('POST', path, payload);
      ctx.flash(done(r), 'ok');
      void load();
    } catch (err) { ctx.flash((err as Error).message, 'error'); }
  };
  const base = `/api/queues/${encodeURIComponent(queue)}/dead-letters`;
  replace(ctx.main, h('h1', {}, 'Dead letters'),
    h('div', { class: 'toolbar' }, h('label', {}, 'Queue ', select),
      h('button', { 'data-action': 'replay-all', onclick: () => void post(`${base}/replay`, {}, (r) => `replayed ${String(r.replayed)} task(s)`) }, 'Replay all'),
      h('button', { class: 'danger', 'data-action': 'purge-all', onclick: () => {
        if (confirm(`Delete every dead letter of ${queue}?`)) void post(`${base}/purge`, {}, (r) => `purged ${String(r.purged)}`);
      } }, 'Purge all')),
    info,
    h('table', { class: 'list' }, h('thead', {}, h('tr', {}, ['Task', 'Name', 'Error', 'Arguments', 'Attempts', 'Failed', 'Worker', ''].map((c) => h('th', {}, c)))), body),
    pager);
  const drawSelect = (o: Overview | undefined): void => {
    const names = o?.queues.map((q) => q.name) ?? [];
    if (queue && !names.includes(queue)) names.push(queue);
    replace(select, names.map((n) => h('option', { value: n, selected: n === queue }, `${n} (${o?.queues.find((q) => q.name === n)?.counts.dead ?? '?'})`)));
  };
  let stopped = false;
  let lastDead = -1;
  const load = async (): Promise<void> => {
    if (!queue) {
      info.textContent = 'No queues yet.';
      return;
    }
    try {
      const list = await api<DeadLetterList>('GET', `${base}?page=${page}&pageSize=${PAGE_SIZE}`);
      if (stopped) return;
      info.textContent = `${list.total} dead letter${list.total === 1 ? '' : 's'} of ${queue} (oldest first)`;
      replace(body, list.items.length === 0 ? h('tr', {}, h('td', { colspan: 8, class: 'empty' }, 'No dead letters.')) : list.items.map((d) => h('tr', { 'data-dead': d.id, 'data-task': d.taskId },
        h('td', {}, h('a', { href: taskHref(d.taskId, namespaceOfQueue(queue)), class: 'mono' }, d.taskId.slice(0, 13))),
        h('td', { class: 'mono' }, d.name),
        h('td', { class: 'error' }, `${d.error.name}: ${d.error.message}`),
        h('td', { class: 'mono args' }, JSON.stringify(d.args).slice(0, 120)),
        h('td', {}, String(d.attemptsMade)),
        h('td', {}, ago(d.failedAt)),
        h('td', { class: 'mono' }, d.worker ?? '—'),
        h('td', {}, h('button', { class: 'small', 'data-action': 'replay', onclick: () => void post(`${base}/replay`, { ids: [d.id] }, () => `replayed ${d.taskId}`) }, 'Replay'),
          ' ', h('button', { class: 'small danger', 'data-action': 'purge', onclick: () => void post(`${base}/purge`, { ids: [d.id] }, () => `deleted ${d.id}`) }, 'Delete')))));
      const pages = Math.max(1, Math.ceil(list.total / PAGE_SIZE));
      replace(pager,
        page > 1 ? h('a', { href: `#/dead?queue=${encodeURIComponent(queue)}&page=${page - 1}` }, '← previous') : null,
        ` page ${page} of ${pages} `,
        page < pages ? h('a', { href: `#/dead?queue=${encodeURIComponent(queue)}&page=${page + 1}` }, 'next →') : null);
    } catch (err) {
      if (!stopped) info.textContent = (err as Error).message;
    }
  };
  drawSelect(ctx.overview);
  void load();
  return {
    onOverview(o) {
      drawSelect(o);
      const dead = o.queues.find((q) => q.name === queue)?.counts.dead ?? 0;
      if (dead !== lastDead) {
        lastDead = dead;
        void load();
      }
    },
    dispose() { stopped = true; },
  };
}
