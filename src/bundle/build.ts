/**
 * One-file bundles of the two programs people start over and over — the CLI (`netns-ts`) and
 * the CNI plugin — so their start-up does not pay Node's per-module cost: ~250 ES modules are
 * resolved, read and compiled one by one (~150–250 ms here, more than Node's own start),
 * against one CommonJS file whose compiled code V8 can cache (load.ts).
 *
 * Uses rolldown (installed with vite, a dev dependency); without it nothing is built and the
 * programs run from the separate modules.
 */
import { readFileSync, renameSync, rmSync } from 'node:fs';

/** Bundle the ES module `input` and everything it imports into the CommonJS file `file`. */
export async function buildBundle(input: string, file: string): Promise<string | undefined> {
  let rolldown: { build(options: unknown): Promise<unknown> };
  try {
    rolldown = (await import('rolldown')) as unknown as typeof rolldown;
  } catch {
    return undefined;
  }
  // Written aside and renamed: a program starting meanwhile reads the old bundle or the new
  // one, never half of one.
  const tmp = `${file}.${process.pid}.tmp`;
  await rolldown.build({
    input,
    platform: 'node',
    // The native addon and the netns-exec helper are found relative to the bundle, which sits
    // at the same depth under dist/ as the modules it replaces.
    output: { file: tmp, format: 'cjs', codeSplitting: false },
    logLevel: 'warn',
  });
  // A dynamic import() the bundler could not inline (a specifier in a variable) would fail at
  // run time: a vm.Script has no module loader. Refuse such a bundle now.
  if (/\bimport\(/.test(readFileSync(tmp, 'utf8'))) {
    rmSync(tmp, { force: true });
    throw new Error(`${input}: the bundle keeps a dynamic import() that cannot run from a vm.Script (import a literal path)`);
  }
  renameSync(tmp, file);
  return file;
}
