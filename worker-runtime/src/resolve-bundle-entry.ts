import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { BundleError } from './bundle-error.js';

/**
 * The module file to import for a bundle path. A file is used as is. A directory (a mounted
 * ConfigMap, an image's bundle folder) is searched for `package.json` "main", then `index.mjs`,
 * `index.js`, and finally, when it holds exactly one `.mjs`/`.js` file (a ConfigMap with one key),
 * that file.
 */
export async function resolveBundleEntry(path: string): Promise<string> {
  const info = await stat(path).catch((err: NodeJS.ErrnoException) => {
    throw new BundleError(path, `cannot be read (${err.code ?? err.message}); check TASKYARD_BUNDLE_PATH / --bundle`);
  });
  if (info.isFile()) return path;
  if (!info.isDirectory()) throw new BundleError(path, 'is neither a file nor a directory');
  const pkgFile = join(path, 'package.json');
  const pkgText = await readFile(pkgFile, 'utf8').catch(() => undefined);
  if (pkgText !== undefined) {
    let main: unknown;
    try {
      main = (JSON.parse(pkgText) as { main?: unknown }).main;
    } catch (err) {
      throw new BundleError(pkgFile, `is not valid JSON (${(err as Error).message})`);
    }
    if (typeof main === 'string') return join(path, main);
  }
  for (const candidate of ['index.mjs', 'index.js']) {
    const file = join(path, candidate);
    if (await isFile(file)) return file;
  }
  const { readdir } = await import('node:fs/promises');
  const modules = (await readdir(path)).filter((f) => /\.(mjs|js)$/.test(f) && !f.startsWith('.'));
  const [only] = modules;
  if (modules.length === 1 && only !== undefined) return join(path, only);
  throw new BundleError(
    path,
    modules.length === 0
      ? 'directory holds no index.mjs, index.js, package.json "main" or other .mjs/.js module'
      : `directory holds several modules (${modules.join(', ')}) and no index.mjs/index.js/package.json "main" saying which one is the bundle`,
  );
}

async function isFile(file: string): Promise<boolean> {
  return stat(file).then(
    (s) => s.isFile(),
    () => false,
  );
}
