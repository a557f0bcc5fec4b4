/**
 * What `main.ts` starts: the one-shot and batch runner and the REPL. Also the entry point of
 * the CLI's bundle (build-bundle.ts), so the bundle holds both; the REPL's modules are still
 * loaded only when the REPL starts.
 */
export { run } from './run.js';

/** The interactive REPL (loaded on first use). */
export async function startRepl(): Promise<number> {
  return (await import('./repl.js')).startRepl();
}
