// `cluster down` on the node tier leaves no process, mount, network device or firewall rule behind,
// and `cluster up` afterwards gives a working node again. Runs against e2e/cluster only (not kind):
// e2e/Makefile `cycle` runs it after the other suites, since it restarts the cluster.
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, test } from "node:test";
import { runCommand, testCluster, kubectl } from "../src/index.js";

const cli = fileURLToPath(new URL("../../cluster/cluster", import.meta.url));

interface ClusterStatus {
  tier: string | null;
  healthy: boolean;
  stateDir: string;
  runDir: string;
  bridge: string;
  netns: string;
  hostLink: string;
  podCIDR: string;
  serviceCIDR: string;
  nodeIP: string;
  cgroupRoot: string;
  containerdSocket: string;
  components: Record<string, { running: boolean; pid?: number }>;
}

async function status(): Promise<ClusterStatus> {
  const result = await runCommand(cli, ["status"]);
  return JSON.parse(result.stdout) as ClusterStatus;
}

async function cli_(args: readonly string[]): Promise<void> {
  const result = await runCommand(cli, args, { timeoutMs: 600_000 });
  assert.equal(result.code, 0, `cluster ${args.join(" ")} failed: ${result.stderr}`);
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function processesMentioning(text: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, "utf8").replaceAll("\0", " ");
      if (cmdline.includes(text)) found.push(`${entry}: ${cmdline.slice(0, 160)}`);
    } catch {
      // the process ended while being read
    }
  }
  return found;
}

describe("node tier down and up again", () => {
  test("down removes every process, mount, device and rule; up brings a Ready node back", async () => {
    const before = await status();
    assert.equal(before.tier, "node", "run this against the node tier");
    assert.ok(before.healthy, "the node tier is not healthy before the cycle");
    const pids = Object.values(before.components).flatMap((c) => (c.pid === undefined ? [] : [c.pid]));
    assert.equal(pids.length, 8);

    await cli_(["down"]);

    assert.deepEqual(pids.filter(processAlive), [], "cluster processes still running");
    assert.deepEqual(processesMentioning(before.containerdSocket), [], "container shims still running");
    const mounts = readFileSync("/proc/self/mountinfo", "utf8").split("\n")
      .map((line) => line.split(" ")[4] ?? "")
      .filter((point) => point.startsWith(`${before.stateDir}/`) || point.startsWith(before.runDir));
    assert.deepEqual(mounts, [], "mounts left behind");
    // The pod bridge, pod veths, kube-proxy's nftables tables and CNI rules live in the node tier's
    // network namespace: gone with it. The host keeps no device, route or rule of this cluster.
    const namespaces = await runCommand("ip", ["netns", "list"]);
    assert.doesNotMatch(namespaces.stdout, new RegExp(`^${before.netns}( |$)`, "m"), "network namespace left behind");
    const links = await runCommand("ip", ["-o", "link", "show"]);
    assert.doesNotMatch(links.stdout, new RegExp(`: (${before.bridge}|${before.hostLink})[:@]`), "network device left behind");
    const routes = await runCommand("ip", ["route", "show"]);
    assert.ok(!routes.stdout.includes(before.podCIDR), `route to ${before.podCIDR} left behind`);
    const pattern = new RegExp([before.podCIDR, before.serviceCIDR, before.nodeIP].map((text) => text.replaceAll(".", "\\.")).join("|"));
    for (const [command, args] of [["iptables-save", []], ["ip6tables-save", []], ["nft", ["list", "ruleset"]]] as const) {
      const rules = await runCommand(command, args);
      assert.doesNotMatch(rules.stdout, pattern, `${command} still has rules for this cluster`);
    }
    const cgroups = readdirSync("/sys/fs/cgroup").filter((hierarchy) => {
      try {
        readdirSync(`/sys/fs/cgroup/${hierarchy}${before.cgroupRoot}`);
        return true;
      } catch {
        return false;
      }
    });
    assert.deepEqual(cgroups, [], "pod cgroups left behind");
    assert.equal((await status()).tier, null);

    await cli_(["up", "--tier", "node"]);
    const after = await status();
    assert.ok(after.healthy, "the node tier is not healthy after up");
    const node = await kubectl(testCluster(), ["get", "nodes", "-o", "jsonpath={.items[0].status.conditions[?(@.type==\"Ready\")].status}"]);
    assert.equal(node, "True");
  });
});
