import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The repository (tests run compiled, from .build/test/…). */
const ROOT = join(__dirname, '..', '..', '..');

/**
 * The Node flags of package.json's start script (`"start": "node <flags> dist/main.js"`), so
 * that the process tests and the benchmark run the app as `npm start` does — with its heap limit.
 */
export function nodeFlagsOfStartScript(root = ROOT): string[] {
  const start = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts?: Record<string, string> }).scripts?.start ?? '';
  const flags = start.match(/^node\s+(.*?)\s*dist\/main\.js/)?.[1]?.trim();
  return flags ? flags.split(/\s+/) : [];
}
