import { adoptTokenFromUrl, setToken, token, whenUnauthorized } from './api.js';
import { h, replace } from './dom.js';
import { followLive, type LiveState } from './live.js';
import type { Overview } from './types.js';
import type { View, ViewContext } from './view.js';
import { deadLettersView } from './views/dead-letters-view.js';
import { queuesView } from './views/queues-view.js';
import { schedulesView } from './views/schedules-view.js';
import { taskView } from './views/task-view.js';
import { tasksView } from './views/tasks-view.js';
import { workersView } from './views/workers-view.js';

const main = document.querySelector('main') as HTMLElement;
const flashBox = document.getElementById('flash') as HTMLElement;
const liveBox = document.getElementById('live') as HTMLElement;
let overview: Overview | undefined;
let current: View | undefined;
let flashTimer: number | undefined;

function flash(message: string, kind: 'ok' | 'error' = 'ok'): void {
  flashBox.textContent = message;
  flashBox.className = `flash ${kind}`;
  flashBox.hidden = false;
  window.clearTimeout(flashTimer);
  flashTimer = window.setTimeout(() => (flashBox.hidden = true), kind === 'error' ? 8000 : 3000);
}

function showLogin(): void {
  current?.dispose?.();
  current = undefined;
  const input = h('input', { type: 'password', name: 'token', placeholder: 'console token', autocomplete: 'current-password', 'data-testid': 'token' });
  replace(main, h('section', { class: 'card login' }, h('h1', {}, 'Sign in'),
    h('p', { class: 'muted' }, 'Paste the console token (TASKYARD_CONSOLE_TOKEN, or the one printed at start).'),
    h('form', { onsubmit: (e) => { e.preventDefault(); setToken(input.value.trim()); route(); } }, input, h('button', { type: 'submit' }, 'Open'))));
}

function route(): void {
  adoptTokenFromUrl();
  if (!token()) return showLogin();
  current?.dispose?.();
  const [path = '/', query = ''] = location.hash.replace(/^#/, '').split('?');
  const ctx: ViewContext = { main, params: new URLSearchParams(query), overview, go: (hash) => { location.hash = hash; }, flash };
  const task = /^\/task\/(.+)$/.exec(path);
  document.querySelectorAll('nav.main a').forEach((a) => a.classList.toggle('active', (a.getAttribute('href') ?? '').split('?')[0] === `#${path === '/' ? '/' : '/' + (path.split('/')[1] ?? '')}`));
  if (task?.[1]) current = taskView(ctx, decodeURIComponent(task[1]));
  else if (path === '/tasks') current = tasksView(ctx);
  else if (path === '/workers') current = workersView(ctx);
  else if (path === '/schedules') current = schedulesView(ctx);
  else if (path === '/dead') current = deadLettersView(ctx);
  else current = queuesView(ctx);
}

function showLive(state: LiveState, detail?: string): void {
  const text: Record<LiveState, string> = { live: 'live', connecting: 'connecting…', offline: 'offline — retrying', 'redis-down': 'Redis unavailable' };
  liveBox.textContent = text[state];
  liveBox.className = `live ${state}`;
  liveBox.title = detail ?? '';
}

function refused(): void {
  if (!token()) return;
  setToken(null);
  showLogin();
  flash('The token was refused: sign in again.', 'error');
}
whenUnauthorized(refused);
// Before the live stream starts, so its first request carries a token given in the URL.
adoptTokenFromUrl();
document.getElementById('logout')?.addEventListener('click', () => {
  setToken(null);
  showLogin();
});
window.addEventListener('hashchange', route);
followLive(
  (o) => {
    overview = o;
    current?.onOverview?.(o);
  },
  showLive,
  refused,
);
route();
