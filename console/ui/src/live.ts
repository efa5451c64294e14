import { token } from './api.js';
import type { Overview } from './types.js';

export type LiveState = 'live' | 'connecting' | 'offline' | 'redis-down';

/**
 * Follows /api/events (server-sent events) with fetch, so the bearer token goes in a header rather
 * than the URL. Reconnects after 2 s on any failure; `unavailable` events (Redis down) are reported
 * as state `redis-down` while the stream stays open.
 */
export function followLive(onOverview: (o: Overview) => void, onState: (s: LiveState, detail?: string) => void, onUnauthorized: () => void): void {
  const run = async (): Promise<void> => {
    for (;;) {
      onState('connecting');
      try {
        const res = await fetch('/api/events', { headers: { authorization: `Bearer ${token() ?? ''}`, accept: 'text/event-stream' } });
        if (res.status === 401) {
          onUnauthorized();
          await new Promise((r) => setTimeout(r, 2000));
          continue;
        }
        if (!res.ok || !res.body) throw new Error(`events: ${res.status}`);
        const reader = res.body.getReader();
        const decoder = new TextDecoder();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += decoder.decode(value, { stream: true });
          let cut: number;
          while ((cut = buffer.indexOf('\n\n')) >= 0) {
            const frame = buffer.slice(0, cut);
            buffer = buffer.slice(cut + 2);
            let event = 'message';
            const data: string[] = [];
            for (const line of frame.split('\n')) {
              if (line.startsWith('event:')) event = line.slice(6).trim();
              else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
            }
            if (data.length === 0) continue;
            const payload = JSON.parse(data.join('\n')) as unknown;
            if (event === 'overview') {
              onState('live');
              onOverview(payload as Overview);
            } else if (event === 'unavailable') {
              onState('redis-down', (payload as { message?: string }).message);
            }
          }
        }
      } catch {
        // fall through to the reconnect below
      }
      onState('offline');
      await new Promise((r) => setTimeout(r, 2000));
    }
  };
  void run();
}
