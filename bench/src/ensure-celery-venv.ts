import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Creates bench/.venv with Celery from PyPI (bench/celery/requirements.txt) unless it is already there
 * with the same requirements. Returns the venv's bin directory.
 */
export function ensureCeleryVenv(benchDir: string): string {
  const venv = join(benchDir, '.venv');
  const bin = join(venv, 'bin');
  const requirements = join(benchDir, 'celery', 'requirements.txt');
  const stamp = join(venv, '.requirements');
  const wanted = readFileSync(requirements, 'utf8');
  if (existsSync(join(bin, 'celery')) && existsSync(stamp) && readFileSync(stamp, 'utf8') === wanted) return bin;
  const run = (command: string, args: string[], what: string): void => {
    log(what);
    const result = spawnSync(command, args, { stdio: ['ignore', 'inherit', 'inherit'] });
    if (result.status !== 0) {
      throw new Error(`${what} failed (${command} ${args.join(' ')} exited ${result.status ?? result.signal}): ` +
        'python3 with the venv module and access to PyPI are needed for the Celery baseline; ' +
        'set BENCH_SYSTEMS=bullmq,taskyard to skip it');
    }
  };
  if (!existsSync(join(bin, 'python'))) run('python3', ['-m', 'venv', venv], 'creating bench/.venv');
  run(join(bin, 'pip'), ['install', '--quiet', '--disable-pip-version-check', '-r', requirements], 'installing Celery into bench/.venv');
  writeFileSync(stamp, wanted);
  return bin;
}

function log(msg: string): void {
  process.stderr.write(`${JSON.stringify({ level: 'info', msg, component: 'bench' })}\n`);
}
