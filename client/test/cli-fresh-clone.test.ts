import assert from 'node:assert/strict';
import { execFile, type ExecFileException } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(cmd: string, args: string[], cwd: string, timeout: number): Promise<Run> {
  return new Promise((resolve) => {
    execFile(cmd, args, { cwd, timeout, env: { ...process.env, npm_config_loglevel: 'error' }, maxBuffer: 16 * 1024 * 1024 }, (err: ExecFileException | null, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

const HERE = dirname(fileURLToPath(import.meta.url));

/**
 * The README's laptop path on a fresh clone, exactly as written: `git clone`, `make build` (which
 * runs npm ci; here `make deps` first, to see the bin before the build), `npx taskyard --help`. npm ci links workspace bins before anything is built, so the
 * bin must be the checked-in shim (client/bin/taskyard.js), not a file under dist/. The clone is of
 * this checkout's HEAD (commit your changes first). Slow (~70 s on two cores): npm ci and a full build.
 */
describe('taskyard on a fresh clone (README laptop path)', () => {
  let dir: string | undefined;
  after(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('npx taskyard says how to build before make build, and runs after it', { timeout: 240_000 }, async () => {
    const top = (await run('git', ['rev-parse', '--show-toplevel'], HERE, 10_000)).stdout.trim();
    assert.ok(top, 'the tests run inside a git checkout');
    dir = await mkdtemp(join(tmpdir(), 'taskyard-clone-'));
    const repo = join(dir, 'taskyard');
    const clone = await run('git', ['clone', '--quiet', top, repo], dir, 60_000);
    assert.equal(clone.code, 0, clone.stderr);

    const install = await run('make', ['deps'], repo, 120_000); // npm ci (make build runs it too)
    assert.equal(install.code, 0, `${install.stdout}\n${install.stderr}`);
    const early = await run('npx', ['--no-install', 'taskyard', '--help'], repo, 30_000);
    assert.notEqual(early.code, 0);
    assert.doesNotMatch(early.stderr, /could not determine executable/);
    assert.match(early.stderr, /not built yet.*make build/s);

    const build = await run('make', ['build'], repo, 180_000);
    assert.equal(build.code, 0, `make build failed:\n${build.stdout}\n${build.stderr}`);
    const help = await run('npx', ['taskyard', '--help'], repo, 30_000);
    assert.equal(help.code, 0, help.stderr);
    assert.match(help.stdout, /Usage: taskyard <command>/);
  });
});
