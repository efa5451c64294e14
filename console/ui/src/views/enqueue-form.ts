import { api, ApiError } from '../api.js';
import { h } from '../dom.js';

/**
 * A small "enqueue a task" form (POST /api/tasks). Arguments are JSON; the server's field errors
 * (e.g. `body.args`) are shown next to the form.
 */
export function enqueueForm(queue: string, done: (id: string) => void): HTMLElement {
  const name = h('input', { name: 'name', placeholder: 'task name, e.g. emails.send', required: true, 'data-testid': 'enqueue-name' });
  const args = h('input', { name: 'args', placeholder: 'args as JSON, e.g. [1, "two"]', value: '[]', 'data-testid': 'enqueue-args' });
  const kwargs = h('input', { name: 'kwargs', placeholder: 'kwargs as JSON object', value: '{}', 'data-testid': 'enqueue-kwargs' });
  const q = h('input', { name: 'queue', value: queue, placeholder: 'queue', 'data-testid': 'enqueue-queue' });
  const problems = h('p', { class: 'error', 'data-testid': 'enqueue-error' });
  const parse = (field: string, text: string): unknown => {
    try {
      return JSON.parse(text || 'null') as unknown;
    } catch {
      throw new ApiError(400, `${field} is not valid JSON`, [{ field: `body.${field}`, message: 'not valid JSON' }]);
    }
  };
  const form = h('form', { class: 'enqueue', onsubmit: async (e) => {
    e.preventDefault();
    problems.textContent = '';
    try {
      const body = { name: name.value.trim(), args: parse('args', args.value), kwargs: parse('kwargs', kwargs.value), ...(q.value.trim() ? { queue: q.value.trim() } : {}) };
      const r = await api<{ id: string }>('POST', '/api/tasks', body);
      done(r.id);
    } catch (err) {
      problems.textContent = err instanceof ApiError && err.fields.length
        ? err.fields.map((f) => `${f.field}: ${f.message}`).join('; ')
        : (err as Error).message;
    }
  } }, name, args, kwargs, q, h('button', { type: 'submit', 'data-testid': 'enqueue-submit' }, 'Enqueue'));
  return h('details', { class: 'card enqueue-box' }, h('summary', {}, 'Enqueue a task'), form, problems);
}
