/**
 * Expression decoders given arbitrary or mutated bytes return a value or throw DecodeError —
 * nothing else; and whatever decodes can be described and rendered without throwing.
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { DecodeError } from '../../../src/netlink/errors.js';
import { dataCodec, describeExpression, expressionCodec, expressionDefinitions, expressionListCodec, type Expression } from '../../../src/nft/expressions/index.js';
import { renderRule } from '../../../src/nft/render/index.js';
import { RUNS } from '../../helpers/arbitrary.js';
import { loadCorpus } from '../../unit/nft/expr-fixtures.js';

function decodeOrDecodeError<T>(decode: () => T): T | undefined {
  try {
    return decode();
  } catch (err) {
    if (!(err instanceof DecodeError)) throw err;
    return undefined;
  }
}

/** Decoded lists must describe and render (any family) without throwing. */
function useDecoded(list: Expression[] | undefined): void {
  if (!list) return;
  for (const e of list) describeExpression(e);
  for (const family of ['ip', 'ip6', 'inet', 'bridge'] as const) renderRule(list, { family, resolveSet: () => undefined });
}

const mutate = (bytes: Uint8Array) =>
  fc.tuple(fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 }), fc.nat()).map(([flips, cut]) => {
    const out = bytes.slice();
    for (const [at, v] of flips) out[at % out.length] = v;
    return out.subarray(0, cut % (out.length + 1));
  });

const corpus = loadCorpus().map((f) => f.expressions);

describe('decoders on arbitrary and mutated bytes only ever throw DecodeError', () => {
  it('expression lists, single expressions and data registers: arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 256 }), (bytes) => {
        useDecoded(decodeOrDecodeError(() => expressionListCodec.decode(bytes, 0, 'expressions')));
        const one = decodeOrDecodeError(() => expressionCodec.decode(bytes, 0, 'expr'));
        useDecoded(one && [one]);
        decodeOrDecodeError(() => dataCodec.decode(bytes, 0, 'data'));
      }),
      { numRuns: RUNS },
    );
  });

  it('each expression data set: arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.constantFrom(...expressionDefinitions()), fc.uint8Array({ maxLength: 128 }), (definition, bytes) => {
        decodeOrDecodeError(() => definition.data.decode(bytes, 0, definition.name));
      }),
      { numRuns: RUNS },
    );
  });

  it('the captured corpus, mutated', () => {
    fc.assert(
      fc.property(fc.constantFrom(...corpus).chain(mutate), (bytes) => {
        useDecoded(decodeOrDecodeError(() => expressionListCodec.decode(bytes, 0, 'expressions')));
      }),
      { numRuns: RUNS },
    );
  });
});
