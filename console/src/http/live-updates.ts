import type { ServerResponse } from 'node:http';
import type { Logger } from '@taskyard/api';

/**
 * Server-sent events: while at least one client listens, calls `snapshot()` every `intervalMs`
 * and sends the result to every client as `event: overview` (one Redis read per tick, however many
 * clients). A failed snapshot (Redis down) is sent as `event: unavailable` with the reason, and the
 * stream stays open so clients recover by themselves when Redis is back.
 */
export class LiveUpdates {
  private readonly clients = new Set<ServerResponse>();
  private timer: NodeJS.Timeout | undefined;
  private running = false;
  private eventId = 0;

  constructor(
    private readonly snapshot: () => Promise<unknown>,
    private readonly log: Logger,
    private readonly intervalMs = 1_000,
  ) {}

  get listeners(): number {
    return this.clients.size;
  }

  attach(res: ServerResponse): void {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.write(`retry: 2000\n\n`);
    this.clients.add(res);
    res.on('close', () => {
      this.clients.delete(res);
      if (this.clients.size === 0) this.stop();
    });
    void this.tick();
    if (!this.timer) this.timer = setInterval(() => void this.tick(), this.intervalMs);
  }

  private async tick(): Promise<void> {
    if (this.running || this.clients.size === 0) return;
    this.running = true;
    try {
      const data = await this.snapshot();
      this.broadcast('overview', data);
    } catch (err) {
      this.broadcast('unavailable', { message: (err as Error).message });
      this.log.debug('live update failed', { error: err });
    } finally {
      this.running = false;
    }
  }

  private broadcast(event: string, data: unknown): void {
    const frame = `id: ${++this.eventId}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
    for (const res of this.clients) res.write(frame);
  }

  private stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  close(): void {
    this.stop();
    for (const res of this.clients) res.end();
    this.clients.clear();
  }
}
