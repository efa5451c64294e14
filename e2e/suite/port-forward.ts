import { spawn, type ChildProcess } from "node:child_process";
import type { TestCluster } from "../src/test-cluster.js";

/** A `kubectl port-forward` to a Service on a free loopback port: the way a user reaches it from outside. */
export interface PortForward {
  readonly port: number;
  close(): Promise<void>;
}

export function portForward(cluster: TestCluster, namespace: string, target: string, remotePort: number): Promise<PortForward> {
  const child: ChildProcess = spawn(
    cluster.kubectl,
    ["--kubeconfig", cluster.kubeconfig, "-n", namespace, "port-forward", "--address", "127.0.0.1", target, `:${remotePort}`],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`kubectl port-forward ${target} did not report a port within 30 s: ${output}`));
    }, 30_000);
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const match = /Forwarding from 127\.0\.0\.1:(\d+)/.exec(output);
      if (!match?.[1]) return;
      clearTimeout(timer);
      const port = Number(match[1]);
      resolve({
        port,
        close: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null) return done();
            child.once("exit", () => done());
            child.kill();
          }),
      });
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`kubectl port-forward ${target} exited ${code}: ${output}`));
    });
  });
}
