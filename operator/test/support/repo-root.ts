import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** The repository root (tests run from operator/dist/test/...). */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
