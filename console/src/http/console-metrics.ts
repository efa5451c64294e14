import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';

/** What the gauges read when /metrics is scraped. */
export interface ConsoleMetricSources {
  /** True while the console's Redis connection is ready. */
  redisUp(): boolean;
  /** Connected live-update (server-sent events) clients. */
  liveClients(): number;
}

/** The console's Prometheus metrics (prom-client), served at /metrics; process metrics included. */
export class ConsoleMetrics {
  readonly registry = new Registry();
  readonly requests: Counter<'method' | 'status'>;

  constructor(sources: ConsoleMetricSources) {
    collectDefaultMetrics({ register: this.registry, prefix: 'taskyard_console_' });
    this.requests = new Counter({
      name: 'taskyard_console_http_requests_total',
      help: 'HTTP requests answered, by method and status.',
      labelNames: ['method', 'status'],
      registers: [this.registry],
    });
    new Gauge({
      name: 'taskyard_console_redis_up',
      help: '1 when the console is connected to Redis.',
      registers: [this.registry],
      collect() {
        this.set(sources.redisUp() ? 1 : 0);
      },
    });
    new Gauge({
      name: 'taskyard_console_live_clients',
      help: 'Connected server-sent-event clients.',
      registers: [this.registry],
      collect() {
        this.set(sources.liveClients());
      },
    });
  }

  /** The exposition text and its content type. */
  async render(): Promise<{ body: string; contentType: string }> {
    return { body: await this.registry.metrics(), contentType: this.registry.contentType };
  }
}
