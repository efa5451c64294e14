import { createHash } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BundleError } from './bundle-error.js';

/**
 * Downloads a bundle (one ES module file) and checks its sha256 BEFORE anything imports it: the
 * bytes are hashed in memory and only written to a private temp file (`<tmp>/taskyard-bundle-*`
 * `/bundle.mjs`) when the digest matches. Returns that file's path.
 */
export async function fetchBundle(url: string, expectedSha256: string): Promise<string> {
  const expected = expectedSha256.trim().toLowerCase().replace(/^sha256:/, '');
  if (!/^[0-9a-f]{64}$/.test(expected)) {
    throw new BundleError(url, `sha256 ${JSON.stringify(expectedSha256)} is not 64 hex digits (set TASKYARD_BUNDLE_SHA256 / --bundle-sha256 to the digest of the file, e.g. from \`sha256sum\`)`);
  }
  let bytes: Buffer;
  try {
    const res = await fetch(url, { redirect: 'follow' });
    if (!res.ok) throw new Error(`HTTP ${res.status} ${res.statusText}`);
    bytes = Buffer.from(await res.arrayBuffer());
  } catch (err) {
    throw new BundleError(url, `download failed: ${(err as Error).message}`);
  }
  const actual = createHash('sha256').update(bytes).digest('hex');
  if (actual !== expected) {
    throw new BundleError(url, `sha256 mismatch: expected ${expected}, downloaded file has ${actual}; refusing to run it`);
  }
  const dir = await mkdtemp(join(tmpdir(), 'taskyard-bundle-'));
  const file = join(dir, 'bundle.mjs');
  await writeFile(file, bytes, { mode: 0o400 });
  return file;
}
