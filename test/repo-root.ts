import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The repository's root (the folder holding package.json), found from this file whether the
 * tests run compiled from dist/test/ or from source through tsx (`npm run test:unit`).
 */
export const REPO_ROOT = ((): string => {
  for (let dir = path.dirname(fileURLToPath(import.meta.url)); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'src'))) return dir;
    if (path.dirname(dir) === dir) throw new Error('no repository root above the tests');
  }
})();
