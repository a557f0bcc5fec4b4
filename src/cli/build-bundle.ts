/**
 * Builds `dist/cli/netns-ts.bundle.cjs`: the CLI (program.ts) and everything it imports in one
 * file (../bundle/build.ts), which `main.js` loads with V8's code cache when it is newer than
 * the compiled CLI. A one-shot `netns-ts ip link show` then takes about Node's own start-up
 * plus 55 ms instead of 135–205 ms more (docs/cli.md, "Running it": ~145 ms against ~225 and
 * ~295 ms from the modules, `node -e 0` ~90).
 *
 *   node dist/cli/build-bundle.js        (after `tsc -p tsconfig.build.json`; `npm run build` does both)
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildBundle } from '../bundle/build.js';

export const CLI_BUNDLE_NAME = 'netns-ts.bundle.cjs';
const here = dirname(fileURLToPath(import.meta.url));

/** Build the bundle next to this file; returns its path, or undefined when rolldown is missing. */
export function buildCliBundle(): Promise<string | undefined> {
  return buildBundle(join(here, 'program.js'), join(here, CLI_BUNDLE_NAME));
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const file = await buildCliBundle();
  console.log(file ? `built ${file}` : 'rolldown is not installed: no bundle built (the CLI runs unbundled)');
}
