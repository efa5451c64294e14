/**
 * Writes console/openapi.json: the document the console serves at /openapi.json, checked in for
 * clients and reviewers. `openapi.test.ts` fails when it is stale.
 *   scripts/with-redis.sh node console/dist/test/write-openapi.js
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { call, randomPrefix, startTestConsole } from './helpers/console-fixture.js';

export const OPENAPI_FILE = fileURLToPath(new URL('../../openapi.json', import.meta.url));

/** The served document, as the checked-in file spells it. */
export async function servedOpenApi(): Promise<string> {
  const handle = await startTestConsole(randomPrefix());
  try {
    const r = await call<unknown>(handle.url, 'GET', '/openapi.json', undefined, null);
    return JSON.stringify(r.body, null, 2) + '\n';
  } finally {
    await handle.close();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(OPENAPI_FILE, await servedOpenApi());
  process.stdout.write(`wrote ${OPENAPI_FILE}\n`);
}
