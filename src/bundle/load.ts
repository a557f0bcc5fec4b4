/**
 * Loading a bundle (build.ts) through V8's code cache: the bundle is evaluated as a
 * `vm.Script`, which can take the compiled code of an earlier run (`cachedData`) and produce
 * it (`createCachedData`). ES modules cannot do either without flags on Node 20, which is why
 * the bundles are CommonJS. Only Node built-ins here: this runs before anything else loads.
 */
import { readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { Script } from 'node:vm';

/** Whether `bundle` exists and was built after `compiledEntry`, the tsc output it was made from. */
export function isBundleCurrent(bundle: string, compiledEntry: string): boolean {
  try {
    return statSync(bundle).mtimeMs >= statSync(compiledEntry).mtimeMs;
  } catch {
    return false;
  }
}

export interface LoadedBundle<T> {
  exports: T;
  /**
   * Write the code cache if it was missing or stale. Call it after the run: the cache then
   * holds every function the run compiled, not only the top level.
   */
  saveCache(): void;
}

/**
 * The bundle `bundle`, if it exists and was built after `compiledEntry` (the tsc output it was
 * made from: tsc rewrites every file, so an older bundle misses the latest build); else
 * undefined, and the caller imports the modules. `cacheKey` names the code cache: one per kind
 * of run, since each compiles different functions. NETNS_TS_BUNDLE=0 in the environment
 * always answers undefined (to debug, or to test, the separate modules).
 */
export function loadCurrentBundle<T>(bundle: string, compiledEntry: string, cacheKey: string): LoadedBundle<T> | undefined {
  if (process.env.NETNS_TS_BUNDLE === '0' || !isBundleCurrent(bundle, compiledEntry)) return undefined;
  const cacheFile = `${bundle}.${cacheKey}.v8-cache`;
  const source = readFileSync(bundle, 'utf8');
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  const wrapped = `(function (exports, require, module, __filename, __dirname) {${source}\n})`;
  const script = new Script(wrapped, { filename: bundle, ...(cachedData ? { cachedData } : {}) });
  const module = { exports: {} as T };
  (script.runInThisContext() as (...args: unknown[]) => void)(module.exports, createRequire(bundle), module, bundle, dirname(bundle));
  const stale = cachedData === undefined || script.cachedDataRejected === true;
  return {
    exports: module.exports,
    saveCache: () => {
      if (!stale) return;
      try {
        const tmp = `${cacheFile}.${process.pid}`;
        writeFileSync(tmp, script.createCachedData());
        renameSync(tmp, cacheFile);
      } catch {
        /* a read-only install runs without the cache */
      }
    },
  };
}
