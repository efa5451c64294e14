import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The absolute path of `bin` in package `pkg`, looked up at run time in the node_modules folders
 * above this module (so @taskyard/client needs no compile-time dependency on it). Undefined when the
 * package is not installed, has no such bin, or is not built yet (the bin file is missing).
 */
export function resolvePackageBin(pkg: string, bin: string, fromDir = dirname(fileURLToPath(import.meta.url))): string | undefined {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const manifestPath = join(dir, 'node_modules', ...pkg.split('/'), 'package.json');
    if (existsSync(manifestPath)) {
      const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { bin?: string | Record<string, string> };
      const relative = typeof manifest.bin === 'string' ? manifest.bin : manifest.bin?.[bin];
      if (relative === undefined) return undefined;
      const file = join(dirname(manifestPath), relative);
      return existsSync(file) ? file : undefined;
    }
    if (dir === dirname(dir)) return undefined;
  }
}
