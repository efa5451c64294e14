const TOKEN_KEY = 'taskyard-console-token';

/** An answer other than 2xx, with the API's message and field problems. */
export class ApiError extends Error {
  constructor(readonly status: number, message: string, readonly fields: Array<{ field: string; message: string }> = []) {
    super(message);
  }
}

export function token(): string | null {
  return localStorage.getItem(TOKEN_KEY);
}

export function setToken(value: string | null): void {
  if (value) localStorage.setItem(TOKEN_KEY, value);
  else localStorage.removeItem(TOKEN_KEY);
}

/** Picks `#token=...` from the URL (printed by the console at start), stores it and cleans the URL. */
export function adoptTokenFromUrl(): void {
  const m = /(?:^#|&)token=([^&]+)/.exec(location.hash);
  if (m?.[1]) {
    setToken(decodeURIComponent(m[1]));
    history.replaceState(null, '', location.pathname + '#/');
  }
}

let onUnauthorized: () => void = () => undefined;
export function whenUnauthorized(fn: () => void): void {
  onUnauthorized = fn;
}

/** Calls the console API with the stored bearer token; throws ApiError on non-2xx. */
export async function api<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { authorization: `Bearer ${token() ?? ''}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(path, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  const text = await res.text();
  const json = text ? (JSON.parse(text) as unknown) : undefined;
  if (!res.ok) {
    if (res.status === 401) onUnauthorized();
    const err = (json as { error?: { message?: string; fields?: Array<{ field: string; message: string }> } } | undefined)?.error;
    throw new ApiError(res.status, err?.message ?? `${res.status} ${res.statusText}`, err?.fields ?? []);
  }
  return json as T;
}
