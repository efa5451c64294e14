import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT } from './repo-root.js';

/** A taskyard-operator child process (the compiled bin), its log lines and its HTTP port. */
export class OperatorProcess {
  readonly lines: Record<string, unknown>[] = [];
  readonly #child: ChildProcess;
  #port: number | undefined;
  readonly exited: Promise<number | null>;

  constructor(args: string[], env: Record<string, string>) {
    this.#child = spawn(process.execPath, [path.join(REPO_ROOT, 'operator/dist/src/bin/taskyard-operator.js'), ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let buffer = '';
    const onData = (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      let i: number;
      while ((i = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, i);
        buffer = buffer.slice(i + 1);
        try {
          const parsed = JSON.parse(line) as Record<string, unknown>;
          this.lines.push(parsed);
          if (parsed.msg === 'operator starting') this.#port = Number(parsed.httpPort);
        } catch {
          this.lines.push({ level: 'raw', msg: line });
        }
      }
    };
    this.#child.stdout?.on('data', onData);
    this.#child.stderr?.on('data', onData);
    this.exited = new Promise((resolve) => this.#child.on('exit', (code) => resolve(code)));
  }

  get pid(): number | undefined {
    return this.#child.pid;
  }

  get port(): number | undefined {
    return this.#port;
  }

  /** GETs a path of the operator's HTTP server. */
  async http(pathname: string): Promise<{ status: number; text: string }> {
    if (this.#port === undefined) throw new Error('operator has not reported its port yet');
    const res = await fetch(`http://127.0.0.1:${this.#port}${pathname}`);
    return { status: res.status, text: await res.text() };
  }

  /** The value of a metric line (first match of `name{...}` containing `labelFragment`), or undefined. */
  async metric(name: string, labelFragment = ''): Promise<number | undefined> {
    const { text } = await this.http('/metrics');
    for (const line of text.split('\n')) {
      if (line.startsWith(name) && (line[name.length] === '{' || line[name.length] === ' ') && line.includes(labelFragment)) {
        return Number(line.slice(line.lastIndexOf(' ') + 1));
      }
    }
    return undefined;
  }

  /** SIGKILL: no cleanup, no Lease release (a crash). */
  async kill(): Promise<void> {
    if (this.#child.exitCode !== null) return;
    this.#child.kill('SIGKILL');
    await this.exited;
  }

  /** SIGTERM and wait. */
  async stop(): Promise<void> {
    if (this.#child.exitCode !== null || this.#child.signalCode !== null) return;
    this.#child.kill('SIGTERM');
    await this.exited;
  }
}
