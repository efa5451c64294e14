import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { repositoryRoot } from './repository-root.js';

/** The process workspaces whose sources issue 9 keeps small and on the one Redis contract. */
const WORKSPACES = ['worker-runtime/src', 'client/src', 'operator/src', 'console/src'];

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

const files = WORKSPACES.flatMap((ws) => sources(join(repositoryRoot, ws)));
const rel = (f: string): string => relative(repositoryRoot, f);

describe('source layout of the processes (one Redis contract, small modules)', () => {
  it('finds the sources it checks', () => {
    assert.ok(files.length > 50, `found ${files.length} files`);
  });

  it('keeps every source file of worker-runtime, client, operator and console at 300 lines or fewer', () => {
    const long = files.map((f) => [rel(f), readFileSync(f, 'utf8').split('\n').length] as const).filter(([, n]) => n > 300);
    assert.deepEqual(long, []);
  });

  it('opens Redis connections only through @taskyard/api/wire connectRedis (one URL grammar for every process)', () => {
    const offenders = files.filter((f) => /new (Redis|Cluster)\(/.test(readFileSync(f, 'utf8'))).map(rel);
    assert.deepEqual(offenders, []);
  });

  it('builds no Taskyard key by hand: no process spells the key layout itself (comments aside)', () => {
    const code = (f: string): string => readFileSync(f, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
    const spelled = /:ty:|taskyard:\{|\$\{[\w.]*prefix\}:/;
    const offenders = files.filter((f) => spelled.test(code(f))).map(rel);
    assert.deepEqual(offenders, []);
  });
});
