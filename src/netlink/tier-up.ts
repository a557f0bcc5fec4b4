/**
 * When the compiled readers and writers (decode-plan.ts, encode-plan.ts) are generated: only
 * once a declaration has been used a few times through the general code, as V8 tiers up its
 * own functions.
 *
 * Generating one costs far more than one use: building its source, `new Function`, V8 parsing
 * and compiling it, and the heap it leaves (which brings the first major GC forward). A
 * short-lived program — a CLI command, a CNI plugin call, a script that creates one namespace —
 * uses each declaration a handful of times and never earns that back; a dump of thousands of
 * objects tiers up after its first few messages. Both paths give equal values and bytes (the
 * compiled code only handles the exact common case; test/property/fast-paths).
 */
export const COMPILE_AFTER_USES = 8;

/**
 * A getter for `compile()`'s result that answers `undefined` for the first `uses - 1` calls,
 * then compiles once and keeps the result (also an `undefined` one: "cannot be compiled").
 */
export function compiledAfterUses<T>(compile: () => T | undefined, uses = COMPILE_AFTER_USES): () => T | undefined {
  let count = 0;
  let done = false;
  let compiled: T | undefined;
  return () => {
    if (done) return compiled;
    if (++count < uses) return undefined;
    done = true;
    compiled = compile();
    return compiled;
  };
}
