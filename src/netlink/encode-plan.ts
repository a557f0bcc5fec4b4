/**
 * Compiled encoders: for each attribute set, functions generated once from its specs that
 * write a value built in code (or decoded without a remembered layout) — the counterpart of
 * decode-plan.ts, and what the attribute set's optimistic encode runs (attribute-set.ts).
 *
 * One block per attribute, reading the value's property by its constant name and calling the
 * attribute codec's own validate and encode: each call site sees one codec and values of one
 * shape, which V8 inlines, where a generic loop looks every key up in a table and calls every
 * codec through one megamorphic site. The result is byte for byte the generic encoder's.
 * Anything unusual — a value that fails validation, a repeated attribute, a key that is not an
 * attribute, unknown attributes to re-emit — makes it give up (`false`); the caller then drops
 * what was written and runs the generic encoder, which also reports errors with their paths.
 */
import type { AttributeSpecs } from './attribute-set.js';
import type { FieldCodec } from './field.js';
import { usesPathOnlyInErrors } from './codec-hints.js';
import { joinPath, type Writer } from './writer.js';

/** Writes `value` (without its `skip` key) at `path`; false = give up, the writer must be rolled back. */
export type AttributesWriter = (w: Writer, value: Record<string, unknown>, path: string, skip: string) => boolean;

export interface CompiledWriters {
  /** Attributes in the value's own (insertion = wire) order. */
  inValueOrder: AttributesWriter;
  /** Attributes in declaration order (nft's order, for expressions built in code). */
  inDeclarationOrder: AttributesWriter;
}

/** `packedFlags[i]`: the default flag bits of the i-th spec, as Writer.beginAttribute takes them. */
export function compileAttributesWriters(specs: AttributeSpecs, packedFlags: readonly number[]): CompiledWriters {
  const entries = Object.entries(specs);
  const codecs = entries.map(([, spec]) => spec.codec as FieldCodec<unknown>);
  // Each codec gets a constant of its own in the generated scope, so calls through it inline.
  const constants = codecs.map((_, i) => `const c${i} = C[${i}];`).join('\n');
  const blocks = entries.map(([key, spec], i) => writeBlock(key, i, spec.type, packedFlags[i]!, codecs[i]!, spec.repeated === true));
  const unknownKept = 'if (v.unknown !== undefined && !(Array.isArray(v.unknown) && v.unknown.length === 0)) return false;';
  const source = `${constants}
    return {
      inValueOrder(w, v, path, skip) {
        let s;
        for (const k in v) {
          const x = v[k];
          if (x === undefined || k === skip) continue;
          switch (k) {
            ${entries.map(([key], i) => `case ${JSON.stringify(key)}: { ${blocks[i]} break; }`).join('\n            ')}
            case 'unknown': break;
            default: return false;
          }
        }
        ${unknownKept}
        return true;
      },
      inDeclarationOrder(w, v, path, skip) {
        let s, x, n = 0;
        ${entries.map(([key], i) => `x = v[${JSON.stringify(key)}]; if (x !== undefined && skip !== ${JSON.stringify(key)}) { n++; ${blocks[i]} }`).join('\n        ')}
        // Nothing else may be set: another key is for the generic encoder to report.
        for (const k in v) if (k !== skip && k !== 'unknown' && v[k] !== undefined) n--;
        if (n !== 0) return false;
        ${unknownKept}
        return true;
      },
    };`;
  return new Function('C', 'J', source)(codecs, joinPath) as CompiledWriters;
}

/** The statements writing attribute `key` from `x`. */
function writeBlock(key: string, i: number, type: number, packed: number, codec: FieldCodec<unknown>, repeated: boolean): string {
  if (repeated) return 'return false;';
  const name = JSON.stringify(key);
  const check = codec.validate ? `if (c${i}.validate(x) !== undefined) return false;` : '';
  const path = usesPathOnlyInErrors(codec) ? `''` : `w.pathsOptional ? '' : J(path, ${name})`;
  return `${check} s = w.beginAttribute(${type}, ${packed}); c${i}.encode(w, x, ${path}); w.endAttribute(s, path, ${name});`;
}
