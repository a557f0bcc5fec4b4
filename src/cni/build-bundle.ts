/**
 * Builds `dist/cni/netns-ts-cni.bundle.cjs`: the compiled plugin and everything it imports in
 * one CommonJS file. Runtimes start the plugin for every ADD and DEL, and Node takes ~150 ms
 * to load the ~120 modules one by one (resolution and compilation per file) against ~35 ms
 * for one file. `main.js` uses the bundle when it is at least as new as the compiled sources,
 * through V8's code cache (CommonJS, so `vm.Script` can take the cache; ES modules cannot
 * without flags on Node 20).
 *
 *   node dist/cni/build-bundle.js        (after `tsc -p tsconfig.build.json`)
 *
 * Uses rolldown (installed with vite, a dev dependency); without it, nothing is built and the
 * plugin runs from the separate modules.
 */
import { renameSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BUNDLE_NAME = 'netns-ts-cni.bundle.cjs';

/** Build the bundle next to this file; returns its path, or undefined when rolldown is missing. */
export async function buildBundle(): Promise<string | undefined> {
  const here = dirname(fileURLToPath(import.meta.url));
  let rolldown: { build(options: unknown): Promise<unknown> };
  try {
    rolldown = (await import('rolldown')) as unknown as typeof rolldown;
  } catch {
    return undefined;
  }
  const file = join(here, BUNDLE_NAME);
  // Written aside and renamed: a plugin starting meanwhile reads the old bundle or the new one,
  // never half of one.
  const tmp = `${file}.${process.pid}.tmp`;
  await rolldown.build({
    input: join(here, 'plugin.js'),
    platform: 'node',
    // The native addon and the netns-exec helper are found relative to the bundle, which sits
    // at the same depth under dist/ as the modules it replaces.
    output: { file: tmp, format: 'cjs', codeSplitting: false },
    logLevel: 'warn',
  });
  renameSync(tmp, file);
  return file;
}

/** Whether a bundle exists and is at least as new as the compiled plugin. */
export function bundleIsCurrent(dir: string): boolean {
  try {
    return statSync(join(dir, BUNDLE_NAME)).mtimeMs >= statSync(join(dir, 'plugin.js')).mtimeMs;
  } catch {
    return false;
  }
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const file = await buildBundle();
  console.log(file ? `built ${file}` : 'rolldown is not installed: no bundle built (the plugin runs unbundled)');
}
