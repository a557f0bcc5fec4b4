#!/usr/bin/env node
/**
 * netns-ts-cni: the CNI plugin executable (install it into /opt/cni/bin; see docs/cni.md).
 * Reads the configuration from stdin and the CNI_* variables, prints the result or error on
 * stdout. Start-up is most of a plugin's cost, so this file uses only Node built-ins (and
 * ../bundle/load.ts, which does too) and loads the plugin as one bundle (build-bundle.ts)
 * with V8's code cache, or, without a current bundle, from the separate modules.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadCurrentBundle } from '../bundle/load.js';

type Plugin = typeof import('./plugin.js');

const here = (name: string): string => fileURLToPath(new URL(name, import.meta.url));
/** One code cache per command: each compiles different functions. */
const cacheKey = /^[A-Z]{1,10}$/.test(process.env.CNI_COMMAND ?? '') ? process.env.CNI_COMMAND! : 'OTHER';

function readStdin(): string | Error {
  try {
    // fd 0 as the runtime gave it: a pipe (or a file) holding the whole configuration.
    return readFileSync(0, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    // No stdin at all (closed): an empty configuration.
    if (code === 'EOF' || code === 'EBADF') return '';
    return err as Error;
  }
}

const bundled = loadCurrentBundle<Plugin>(here('./netns-ts-cni.bundle.cjs'), here('./plugin.js'), cacheKey);
const { runPlugin } = bundled?.exports ?? (await import('./plugin.js'));
const out = await runPlugin({ env: process.env, stdin: readStdin() });
bundled?.saveCache();
// Exit once stdout is flushed: nothing else may keep the runtime waiting.
process.stdout.write(out.stdout === '' ? '' : `${out.stdout}\n`, () => process.exit(out.exitCode));
