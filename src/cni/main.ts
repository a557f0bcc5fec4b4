#!/usr/bin/env node
/**
 * netns-ts-cni: the CNI plugin executable (install it into /opt/cni/bin; see docs/cni.md).
 * Reads the configuration from stdin and the CNI_* variables, prints the result or error on
 * stdout. Start-up is most of a plugin's cost, so this file uses only Node built-ins and
 * loads the plugin as one bundle (build-bundle.ts) with V8's code cache, or, without a
 * current bundle, from the separate modules.
 */
import { readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';

type RunPlugin = typeof import('./plugin.js').runPlugin;

const here = (name: string): string => fileURLToPath(new URL(name, import.meta.url));
const BUNDLE = here('./netns-ts-cni.bundle.cjs');
/**
 * Compiled code of the bundle, one file per command (each compiles different functions),
 * written after a run whose cache was missing or stale.
 */
const CODE_CACHE = `${BUNDLE}.${/^[A-Z]{1,10}$/.test(process.env.CNI_COMMAND ?? '') ? process.env.CNI_COMMAND : 'OTHER'}.v8-cache`;

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

function bundleIsCurrent(): boolean {
  try {
    return statSync(BUNDLE).mtimeMs >= statSync(here('./plugin.js')).mtimeMs;
  } catch {
    return false;
  }
}

/** The bundle evaluated through a vm.Script, so V8 can take and produce a code cache. */
function loadBundle(): { runPlugin: RunPlugin; saveCache: () => void } {
  const source = readFileSync(BUNDLE, 'utf8');
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(CODE_CACHE);
  } catch {
    cachedData = undefined;
  }
  const wrapped = `(function (exports, require, module, __filename, __dirname) {${source}\n})`;
  const script = new Script(wrapped, { filename: BUNDLE, ...(cachedData ? { cachedData } : {}) });
  const module = { exports: {} as { runPlugin: RunPlugin } };
  script.runInThisContext()(module.exports, createRequire(BUNDLE), module, BUNDLE, here('.'));
  const stale = cachedData === undefined || script.cachedDataRejected === true;
  return {
    runPlugin: module.exports.runPlugin,
    saveCache: () => {
      if (!stale) return;
      try {
        // After the run: the cache then holds every function this command compiled.
        const tmp = `${CODE_CACHE}.${process.pid}`;
        writeFileSync(tmp, script.createCachedData());
        renameSync(tmp, CODE_CACHE);
      } catch {
        /* a read-only install runs without the cache */
      }
    },
  };
}

const loaded = bundleIsCurrent() ? loadBundle() : { runPlugin: (await import('./plugin.js')).runPlugin, saveCache: () => undefined };
const out = await loaded.runPlugin({ env: process.env, stdin: readStdin() });
loaded.saveCache();
// Exit once stdout is flushed: nothing else may keep the runtime waiting.
process.stdout.write(out.stdout === '' ? '' : `${out.stdout}\n`, () => process.exit(out.exitCode));
