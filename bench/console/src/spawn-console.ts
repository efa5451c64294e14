import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../../../console/dist/src/bin.js', import.meta.url));

/** Starts `taskyard-console --port 0` as a child process and resolves with its URL once it listens. */
export async function spawnConsole(options: { redisUrl: string; prefix: string; token: string }): Promise<{ url: string; process: ChildProcess; stop(): Promise<void> }> {
  const child = spawn(process.execPath, [bin, '--port', '0', '--prefix', options.prefix], {
    env: { ...process.env, REDIS_URL: options.redisUrl, TASKYARD_CONSOLE_TOKEN: options.token, TASKYARD_LOG_LEVEL: 'info', KUBECONFIG: '' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`console did not start within 30 s:\n${output}`)), 30_000);
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const m = /"msg":"console listening".*?"url":"([^"]+)"/.exec(output);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`console exited with ${code}:\n${output}`));
    });
  });
  return {
    url,
    process: child,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
