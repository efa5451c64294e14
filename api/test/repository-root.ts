import { fileURLToPath } from 'node:url';

/** The repository root, seen from api/dist/test/. */
export const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));
