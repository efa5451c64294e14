import { namespaceOfQueue, taskApi } from '../task-links.js';
import { api, ApiError } from '../api.js';
import { badge, h, pretty, replace, time } from '../dom.js';
import type { TaskDetail } from '../types.js';
import type { View, ViewContext } from '../view.js';

function section(title: string, ...content: Array<Node | string | null>): HTMLElement {
  return h('section', { class: 'card' }, h('h2', {}, title), ...content);
}

/** One task: state, arguments, result or error with its stack, attempts, progress, timeline, logs. */
export function taskView(ctx: ViewContext, id: string): View {
  const box = h('div', {}, h('p', { class: 'muted' }, 'Loading…'));
  replace(ctx.main, box);
  let stopped = false;
  let last: TaskDetail | undefined;
  let loading = false;

  const act = (label: string, path: string, body?: unknown): HTMLElement =>
    h('button', { 'data-action': label.toLowerCase().replace(/\W+/g, '-'), onclick: async () => {
      try {
        await api('POST', path, body);
        ctx.flash(`${label}: done`, 'ok');
        void load();
      } catch (err) { ctx.flash((err as Error).message, 'error'); }
    } }, label);

  const draw = (t: TaskDetail): void => {
    const ns = ctx.params.get('namespace') ?? namespaceOfQueue(t.queue);
    const buttons: HTMLElement[] = [];
    if (!t.ready) buttons.push(act('Revoke', taskApi(t.id, ns, '/revoke'), { terminate: false }), act('Revoke & terminate', taskApi(t.id, ns, '/revoke'), { terminate: true }));
    if (t.jobState === 'failed') buttons.push(act('Retry', taskApi(t.id, ns, '/retry')));
    replace(box,
      h('header', { class: 'task-head' },
        h('h1', {}, h('span', { class: 'mono' }, t.name || '(unknown task)'), ' ', badge(t.state)),
        h('p', { class: 'muted mono', 'data-testid': 'task-id' }, t.id),
        h('p', {}, 'queue ', h('a', { href: `#/tasks?queue=${encodeURIComponent(t.queue)}&state=${t.jobState}` }, t.queue), ` · BullMQ ${t.jobState}`,
          t.priority ? ` · priority ${t.priority}` : '', t.delayUntil ? ` · due ${time(t.delayUntil)}` : ''),
        h('div', { class: 'actions' }, buttons)),
      h('div', { class: 'grid two' },
        section('Arguments', h('pre', { 'data-testid': 'args' }, pretty(t.args)), Object.keys(t.kwargs).length ? h('pre', {}, pretty(t.kwargs)) : null),
        t.state === 'SUCCESS' ? section('Result', h('pre', { 'data-testid': 'result' }, pretty(t.result)))
          : t.error ? section('Error', h('p', { class: 'error', 'data-testid': 'error' }, `${t.error.name}: ${t.error.message}`))
          : section('Progress', h('pre', { 'data-testid': 'progress' }, t.progress === undefined ? 'no progress reported' : pretty(t.progress))),
        section('Attempts', h('p', { 'data-testid': 'attempts' }, `${t.attemptsMade} attempt${t.attemptsMade === 1 ? '' : 's'} made`, t.maxAttempts ? ` of ${t.maxAttempts} allowed` : ''),
          h('p', { class: 'muted' }, `enqueued ${time(t.enqueuedAt)} · started ${time(t.startedAt)} · finished ${time(t.finishedAt)}`)),
        section('Timeline', h('ol', { class: 'timeline', 'data-testid': 'timeline' }, t.timeline.map((e) =>
          h('li', {}, h('time', {}, new Date(e.at).toLocaleTimeString()), ' ', h('strong', {}, e.event), e.detail ? h('span', { class: 'muted' }, ` — ${e.detail}`) : null))))),
      t.traceback ? section('Stack trace', h('pre', { class: 'stack', 'data-testid': 'traceback' }, t.traceback)) : null,
      t.logs.length ? section('Logs', h('pre', { class: 'logs' }, t.logs.join('\n'))) : null);
  };

  const load = async (): Promise<void> => {
    if (loading) return;
    loading = true;
    try {
      const t = await api<TaskDetail>('GET', taskApi(id, ctx.params.get('namespace') ?? undefined));
      if (stopped) return;
      if (JSON.stringify(t) !== JSON.stringify(last)) draw(t);
      last = t;
    } catch (err) {
      if (stopped) return;
      replace(box, h('h1', {}, 'Task'), h('p', { class: 'error', 'data-testid': 'task-error' }, err instanceof ApiError ? err.message : String(err)));
    } finally {
      loading = false;
    }
  };
  void load();
  return {
    onOverview() {
      // A task that has not settled may change any second: follow it on every live tick.
      if (!last || !last.ready) void load();
    },
    dispose() {
      stopped = true;
    },
  };
}
