import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The repository root, found from here whether we run from dist/ or from the test build. */
function projectRoot(): string {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
  }
  throw new Error('package.json not found above the running code');
}

const ROOT = projectRoot();

/** Templates and static files stay in src/web (tsc does not copy them); read from there. */
export const VIEWS_DIR = join(ROOT, 'src', 'web', 'views');
export const ASSETS_DIR = join(ROOT, 'src', 'web', 'assets');
export const PICO_CSS_DIR = join(ROOT, 'node_modules', '@picocss', 'pico', 'css');
