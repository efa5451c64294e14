import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

describe('worker-runtime source layout (issue 9)', () => {
  it('never imports the client SDK: the runtime talks to Redis through @taskyard/api/wire only', () => {
    const offenders = sources(SRC).filter((f) => /from '@taskyard\/client'|import\('@taskyard\/client'\)|new Redis\(/.test(readFileSync(f, 'utf8')));
    assert.deepEqual(offenders, []);
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { dependencies?: Record<string, string> };
    assert.equal(pkg.dependencies?.['@taskyard/client'], undefined);
  });

  it('keeps every source file at 300 lines or fewer', () => {
    const long = sources(SRC).map((f) => [f, readFileSync(f, 'utf8').split('\n').length] as const).filter(([, n]) => n > 300);
    assert.deepEqual(long, []);
  });
});
