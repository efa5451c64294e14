import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { OPENAPI_FILE, servedOpenApi } from './write-openapi.js';

test('the checked-in console/openapi.json is what the console serves', async () => {
  const served = await servedOpenApi();
  const checkedIn = readFileSync(OPENAPI_FILE, 'utf8');
  assert.equal(checkedIn, served, 'console/openapi.json is stale: run `scripts/with-redis.sh node console/dist/test/write-openapi.js` and commit it');
});

test('every $ref in the document resolves inside the document', async () => {
  const doc = JSON.parse(await servedOpenApi()) as Record<string, unknown>;
  const refs: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      for (const [k, v] of Object.entries(node)) {
        if (k === '$ref' && typeof v === 'string') refs.push(v);
        else walk(v);
      }
    }
  };
  walk(doc);
  assert.ok(refs.length > 10, 'the document uses shared schemas');
  for (const ref of new Set(refs)) {
    assert.match(ref, /^#\//, `${ref} is local`);
    let at: unknown = doc;
    for (const part of ref.slice(2).split('/')) at = (at as Record<string, unknown> | undefined)?.[part.replace(/~1/g, '/').replace(/~0/g, '~')];
    assert.ok(at && typeof at === 'object', `${ref} resolves`);
  }
});
