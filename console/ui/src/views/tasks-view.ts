import { namespaceOfQueue, taskApi, taskHref } from '../task-links.js';
import { api, ApiError } from '../api.js';
import { ago, badge, h, replace } from '../dom.js';
import type { Overview, TaskList, TaskSummary } from '../types.js';
import type { View, ViewContext } from '../view.js';
import { enqueueForm } from './enqueue-form.js';

// Every Taskyard task carries a priority (default 5), so queued tasks sit in BullMQ's prioritized
// list: that is the "queued" tab, shown first. "waiting" holds only jobs added without a priority.
const LISTS = ['prioritized', 'waiting', 'delayed', 'active', 'completed', 'failed'] as const;
const LIST_LABELS: Record<(typeof LISTS)[number], string> = {
  prioritized: 'queued', waiting: 'waiting (no priority)', delayed: 'delayed', active: 'active', completed: 'completed', failed: 'failed',
};
const PAGE_SIZE = 25;

/** Tasks of one queue by BullMQ list, with search and pagination; refreshed when counts change. */
export function tasksView(ctx: ViewContext): View {
  const firstQueue = ctx.overview?.queues[0]?.name;
  const queue = ctx.params.get('queue') ?? firstQueue ?? '';
  const state = ctx.params.get('state') ?? 'prioritized';
  const search = ctx.params.get('search') ?? '';
  const page = Math.max(1, Number(ctx.params.get('page') ?? '1') || 1);
  const link = (changes: Record<string, string | number>): string => {
    const p = new URLSearchParams({ queue, state, search, page: String(page), ...Object.fromEntries(Object.entries(changes).map(([k, v]) => [k, String(v)])) });
    if (!p.get('search')) p.delete('search');
    return `#/tasks?${p.toString()}`;
  };

  const queueSelect = h('select', { 'data-testid': 'queue-select', onchange: (e) => ctx.go(`#/tasks?queue=${encodeURIComponent((e.target as HTMLSelectElement).value)}&state=${state}`) });
  const tabs = h('nav', { class: 'tabs' });
  const searchBox = h('input', { type: 'search', placeholder: 'task id, name or argument text', value: search, 'data-testid': 'search' });
  const form = h('form', { class: 'search', onsubmit: (e) => { e.preventDefault(); ctx.go(link({ search: searchBox.value.trim(), page: 1 })); } },
    searchBox, h('button', { type: 'submit' }, 'Search'));
  const info = h('p', { class: 'muted', 'data-testid': 'list-info' });
  const body = h('tbody');
  const pager = h('nav', { class: 'pager' });
  const enqueue = enqueueForm(queue, (id) => {
    ctx.flash(`enqueued ${id}`, 'ok');
    ctx.go(taskHref(id, namespaceOfQueue(queue)));
  });
  replace(ctx.main, h('h1', {}, 'Tasks'), h('div', { class: 'toolbar' }, h('label', {}, 'Queue ', queueSelect), form), enqueue, tabs, info,
    h('table', { class: 'list tasks' }, h('thead', {}, h('tr', {}, ['Task', 'Name', 'State', 'Arguments', 'Attempts', 'Enqueued', 'Finished', ''].map((c) => h('th', {}, c)))), body),
    pager);

  const drawChrome = (o: Overview | undefined): void => {
    const names = o?.queues.map((q) => q.name) ?? [];
    if (queue && !names.includes(queue)) names.push(queue);
    replace(queueSelect, names.map((n) => h('option', { value: n, selected: n === queue }, n)));
    const counts = o?.queues.find((q) => q.name === queue)?.counts;
    replace(tabs, LISTS.map((l) => h('a', { href: link({ state: l, page: 1 }), class: l === state ? 'tab active' : 'tab', 'data-tab': l },
      LIST_LABELS[l], counts ? h('span', { class: 'pill', 'data-testid': `count-${l}` }, String(counts[l])) : null)));
  };

  const actions = (t: TaskSummary): HTMLElement => {
    const act = (label: string, path: string, body?: unknown): HTMLElement =>
      h('button', { class: 'small', 'data-action': label.toLowerCase(), onclick: async () => {
        try {
          await api('POST', path, body);
          ctx.flash(`${label}: ${t.id}`, 'ok');
          void load();
        } catch (err) { ctx.flash((err as Error).message, 'error'); }
      } }, label);
    const id = t.id;
    if (t.jobState === 'failed') return act('Retry', taskApi(id, namespaceOfQueue(queue), '/retry'));
    if (t.jobState === 'active') return act('Terminate', taskApi(id, namespaceOfQueue(queue), '/revoke'), { terminate: true });
    if (t.jobState !== 'completed') return act('Revoke', taskApi(id, namespaceOfQueue(queue), '/revoke'), { terminate: false });
    return h('span');
  };

  let loading = false;
  let stopped = false;
  let lastKey = '';
  const load = async (): Promise<void> => {
    if (!queue) {
      info.textContent = 'No queues yet.';
      return;
    }
    if (loading) return;
    loading = true;
    try {
      const q = new URLSearchParams({ queue, state, page: String(page), pageSize: String(PAGE_SIZE) });
      if (search) q.set('search', search);
      const list = await api<TaskList>('GET', `/api/tasks?${q.toString()}`);
      if (stopped) return;
      const pages = Math.max(1, Math.ceil((list.search ? list.items.length + (page - 1) * PAGE_SIZE : list.total) / PAGE_SIZE));
      info.textContent = list.search
        ? `Search "${list.search.text}": ${list.items.length} on this page, ${list.search.scanned} newest of ${list.total} ${state} tasks searched${list.search.complete ? '' : ' (older ones not searched)'}`
        : `${list.total} ${state} task${list.total === 1 ? '' : 's'} in ${queue}`;
      replace(body, list.items.length === 0 ? h('tr', {}, h('td', { colspan: 8, class: 'empty' }, 'Nothing here.')) : list.items.map((t) =>
        h('tr', { 'data-task': t.id },
          h('td', {}, h('a', { href: taskHref(t.id, namespaceOfQueue(t.queue)), class: 'mono' }, t.id.length > 14 ? t.id.slice(0, 13) + '…' : t.id)),
          h('td', { class: 'mono' }, t.name),
          h('td', {}, badge(t.state)),
          h('td', { class: 'mono args' }, t.error ? h('span', { class: 'error' }, t.error) : t.argsPreview),
          h('td', {}, String(t.attemptsMade)),
          h('td', {}, ago(t.enqueuedAt)),
          h('td', {}, ago(t.finishedAt)),
          h('td', {}, actions(t)))));
      replace(pager,
        page > 1 ? h('a', { href: link({ page: page - 1 }), 'data-testid': 'prev' }, '← newer') : h('span', { class: 'muted' }, '← newer'),
        h('span', { 'data-testid': 'page' }, ` page ${page} of ${list.search ? '?' : pages} `),
        (list.search ? list.items.length === PAGE_SIZE : page < pages) ? h('a', { href: link({ page: page + 1 }), 'data-testid': 'next' }, 'older →') : h('span', { class: 'muted' }, 'older →'));
    } catch (err) {
      if (!stopped) info.textContent = err instanceof ApiError ? err.message : `cannot load tasks: ${(err as Error).message}`;
    } finally {
      loading = false;
    }
  };

  drawChrome(ctx.overview);
  void load();
  return {
    onOverview(o) {
      drawChrome(o);
      const counts = o.queues.find((q) => q.name === queue)?.counts;
      const key = JSON.stringify(counts ?? {});
      if (key !== lastKey) {
        lastKey = key;
        void load();
      }
    },
    dispose() {
      stopped = true;
    },
  };
}
