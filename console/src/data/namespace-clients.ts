import { TaskyardClient } from '@taskyard/client';
import type { RedisConnection } from '@taskyard/api/wire';

/**
 * One SDK client per namespace (a TaskyardClient works in one namespace), all on the console's shared
 * connection, created on first use. Closing them leaves the shared connection open.
 */
export class NamespaceClients {
  private readonly clients = new Map<string, TaskyardClient>();

  constructor(
    private readonly connection: RedisConnection,
    private readonly prefix: string,
  ) {}

  of(namespace: string): TaskyardClient {
    let client = this.clients.get(namespace);
    if (!client) {
      client = new TaskyardClient({ connection: this.connection, prefix: this.prefix, namespace });
      this.clients.set(namespace, client);
    }
    return client;
  }

  async close(): Promise<void> {
    await Promise.all([...this.clients.values()].map((c) => c.close()));
    this.clients.clear();
  }
}
