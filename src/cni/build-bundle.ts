/**
 * Builds `dist/cni/netns-ts-cni.bundle.cjs`: the compiled plugin and everything it imports in
 * one file (../bundle/build.ts). Runtimes start the plugin for every ADD and DEL, and Node
 * takes ~150 ms to load the ~120 modules one by one against ~35 ms for one file with its code
 * cache. `main.js` uses the bundle when it is newer than the compiled plugin.
 *
 *   node dist/cni/build-bundle.js        (after `tsc -p tsconfig.build.json`)
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildBundle as bundle } from '../bundle/build.js';
import { isBundleCurrent } from '../bundle/load.js';

export const BUNDLE_NAME = 'netns-ts-cni.bundle.cjs';
const here = dirname(fileURLToPath(import.meta.url));

/** Build the bundle next to this file; returns its path, or undefined when rolldown is missing. */
export function buildBundle(): Promise<string | undefined> {
  return bundle(join(here, 'plugin.js'), join(here, BUNDLE_NAME));
}

/** Whether a bundle exists and is at least as new as the compiled plugin. */
export function bundleIsCurrent(dir: string): boolean {
  return isBundleCurrent(join(dir, BUNDLE_NAME), join(dir, 'plugin.js'));
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const file = await buildBundle();
  console.log(file ? `built ${file}` : 'rolldown is not installed: no bundle built (the plugin runs unbundled)');
}
