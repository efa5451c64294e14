import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { connectRedis, type RedisConnection } from '../src/wire/index.js';

/**
 * The real Redis topologies `scripts/with-redis-topologies.sh` starts for tests (a Sentinel group of
 * one master, two replicas and three sentinels; a Cluster of three masters and three replicas), read
 * from the topology.json it writes. Imported by any workspace's tests as `@taskyard/api/test-support`.
 */
export interface TopologyNode {
  port: number;
  /** The node's config file: `redis-server <config>` starts it again (daemonized, same port). */
  config: string;
  /** Written by redis-server itself, so it names the running process even after a restart. */
  pidFile: string;
  logFile: string;
}

export interface RedisTopologies {
  dir: string;
  sentinel: { url: string; masterName: string; servers: TopologyNode[]; sentinels: TopologyNode[] };
  cluster: { url: string; nodes: TopologyNode[] };
}

const HOW = 'run the test under scripts/with-redis-topologies.sh (scripts/run-tests.sh unit starts it by itself)';

/** The topologies of this test run; throws naming the script to use when none was started. */
export function redisTopologies(): RedisTopologies {
  const file = process.env.TASKYARD_TEST_TOPOLOGY;
  if (!file) throw new Error(`TASKYARD_TEST_TOPOLOGY is not set: ${HOW}`);
  return JSON.parse(readFileSync(file, 'utf8')) as RedisTopologies;
}

/** TASKYARD_TEST_SENTINEL_URL: redis-sentinel://127.0.0.1:p1,127.0.0.1:p2,127.0.0.1:p3/taskyard-test. */
export function sentinelUrl(): string {
  const url = process.env.TASKYARD_TEST_SENTINEL_URL;
  if (!url) throw new Error(`TASKYARD_TEST_SENTINEL_URL is not set: ${HOW}`);
  return url;
}

/** TASKYARD_TEST_CLUSTER_URL: redis-cluster://127.0.0.1:p1,…,127.0.0.1:p6. */
export function clusterUrl(): string {
  const url = process.env.TASKYARD_TEST_CLUSTER_URL;
  if (!url) throw new Error(`TASKYARD_TEST_CLUSTER_URL is not set: ${HOW}`);
  return url;
}

/** Runs one command on one node over a plain connection and closes it. */
export async function askNode<T = unknown>(port: number, command: string, ...args: (string | number)[]): Promise<T> {
  const conn = connectRedis(`redis://127.0.0.1:${port}`, { role: 'operator', connectionName: 'taskyard-test-support' });
  try {
    return (await conn.call(command, ...args)) as T;
  } finally {
    conn.disconnect();
  }
}

/**
 * The port of the Sentinel group's current master, as the sentinels see it (SENTINEL
 * get-master-addr-by-name), asking each sentinel in turn until one answers.
 */
export async function currentSentinelMaster(topology = redisTopologies()): Promise<number> {
  let last: unknown;
  for (const s of topology.sentinel.sentinels) {
    try {
      const addr = await askNode<[string, string] | null>(s.port, 'SENTINEL', 'get-master-addr-by-name', topology.sentinel.masterName);
      if (addr) return Number(addr[1]);
    } catch (error) {
      last = error;
    }
  }
  throw new Error(`no sentinel named a master for ${topology.sentinel.masterName}`, { cause: last });
}

/** The node of a topology listening on `port`. */
export function topologyNode(port: number, topology = redisTopologies()): TopologyNode {
  const all = [...topology.sentinel.servers, ...topology.sentinel.sentinels, ...topology.cluster.nodes];
  const node = all.find((n) => n.port === port);
  if (!node) throw new Error(`no node of the test topologies listens on ${port}`);
  return node;
}

/** SIGKILLs the node on `port` (its pid from its pid file) and waits until the process is gone. */
export async function killNode(port: number, topology = redisTopologies()): Promise<void> {
  const node = topologyNode(port, topology);
  const pid = Number(readFileSync(node.pidFile, 'utf8').trim());
  process.kill(pid, 'SIGKILL');
  await waitFor(`process ${pid} (port ${port}) to exit`, 5000, () => !isAlive(pid));
}

/** Starts the node on `port` again from its config file and waits until it answers PING. */
export async function restartNode(port: number, topology = redisTopologies()): Promise<void> {
  const node = topologyNode(port, topology);
  const isSentinel = topology.sentinel.sentinels.some((s) => s.port === port);
  const started = spawnSync(isSentinel ? 'redis-sentinel' : 'redis-server', [node.config], { encoding: 'utf8' });
  if (started.status !== 0) throw new Error(`restarting the node on ${port} failed: ${started.stderr || started.stdout}`);
  await waitFor(`the node on ${port} to answer PING`, 10_000, async () => (await askNode(port, 'PING').catch(() => '')) === 'PONG');
}

/** Polls `check` every 100 ms until it returns true; throws naming `what` after `timeoutMs`. */
export async function waitFor(what: string, timeoutMs: number, check: () => boolean | Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Waits until a connection is ready (commands of a `client`-role connection fail before that). */
export async function whenReady<C extends RedisConnection>(conn: C, timeoutMs = 10_000): Promise<C> {
  if (conn.status === 'ready') return conn;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`connection not ready after ${timeoutMs} ms (status ${conn.status})`)), timeoutMs);
    conn.once('ready', () => {
      clearTimeout(timer);
      resolve();
    });
  });
  return conn;
}

/** True while the process runs (a zombie, killed but not yet reaped by init, counts as gone). */
function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^\d+ \(.*\) Z/.test(stat);
  } catch {
    return false;
  }
}
