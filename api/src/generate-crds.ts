import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { renderCrds } from './render-crds.js';

export { renderCrds } from './render-crds.js';

/** The repository root, from this file's place in api/dist/src (or api/src under a TS loader). */
export const repositoryRoot = resolve(dirname(fileURLToPath(import.meta.url)), fileURLToPath(import.meta.url).includes('/dist/') ? '../../..' : '../..');

/** Writes every rendered CRD file under `root`; returns the paths written. */
export async function writeCrds(root: string = repositoryRoot): Promise<string[]> {
  const files = renderCrds();
  for (const file of files) {
    const target = resolve(root, file.path);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, file.yaml);
  }
  return files.map((f) => f.path);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const written = await writeCrds();
  for (const path of written) console.log(JSON.stringify({ level: 'info', msg: 'wrote CRD', path }));
}
