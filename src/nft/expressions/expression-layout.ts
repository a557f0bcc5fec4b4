/**
 * What expression.ts remembers about how a decoded expression element looked on the wire, and
 * what it precomputes per definition. Kept out of sight (invisible to equality and JSON).
 *
 * Most decoded elements need nothing remembered: an NFTA_EXPR_NAME, then a nested
 * NFTA_EXPR_DATA whose attributes come in declaration order, each flagged as its codec writes
 * it — exactly what encoding a value built in code writes. Such an element is left "plain"
 * (remembering anything per element would cost more than decoding it); anything else gets a layout.
 */
import type { AttributeSet, AttributeSpecs } from '../../netlink/attribute-set.js';
import { NLA_F_NESTED, NLA_HDRLEN, NLA_TYPE_MASK } from '../../netlink/constants.js';
import { plainObjectMaker } from '../../netlink/codec-hints.js';
import { compileAttributesReader, type AttributesReader } from '../../netlink/decode-plan.js';
import { decodedState, rememberState } from '../../netlink/hidden.js';
import type { DirectWriter } from '../../netlink/direct-write.js';
import { compiledAfterUses } from '../../netlink/tier-up.js';
import type { RawAttribute } from '../../netlink/raw-attributes.js';
import { encodeKernelText } from '../../netlink/text.js';
import { align4 } from '../../netlink/writer.js';
import { NftaExpr } from './constants.js';
import type { ExpressionDefinition } from './definition.js';
import { expressionDefinition, expressionDefinitions } from './registry.js';
import { otherStringForm, writesNul } from './strings.js';

/** How an expression element looked on the wire, so re-encoding reproduces it. */
export interface ElementLayout {
  /** The element's attributes in wire order: name, data, or anything else (kept raw). */
  readonly entries: ReadonlyArray<{ kind: 'name' | 'data'; flags: number } | { kind: 'other'; raw: RawAttribute }>;
  /** Flag bits of the enclosing NFTA_LIST_ELEM header (list decoding only). */
  readonly listElementFlags?: number;
  /** String attributes that came in the other form than their codec writes (with or without NUL). */
  readonly otherStringForm?: readonly string[];
}

export function layoutOf(value: object): ElementLayout | undefined {
  return decodedState(value)?.element as ElementLayout | undefined;
}

export function rememberLayout(value: object, layout: ElementLayout): void {
  rememberState(value, { element: layout });
}

const CANONICAL_ENTRIES = [{ kind: 'name', flags: 0 }, { kind: 'data', flags: NLA_F_NESTED }] as const;
/** What an element without a layout is written as. */
export const DEFAULT_LAYOUT: ElementLayout = { entries: CANONICAL_ENTRIES };
const CANONICAL_IN_LIST: ElementLayout = { entries: CANONICAL_ENTRIES, listElementFlags: NLA_F_NESTED };

/**
 * The layout of a canonical element (name, then data with `dataFlags`) that is not plain for
 * another reason: its flags as they were, nothing left to the writer's style.
 */
export function canonicalLayout(listElementFlags: number | undefined, dataFlags: number, switched: readonly string[] | undefined): ElementLayout {
  if (switched === undefined && dataFlags === NLA_F_NESTED) {
    if (listElementFlags === undefined) return DEFAULT_LAYOUT;
    if (listElementFlags === NLA_F_NESTED) return CANONICAL_IN_LIST;
  }
  return {
    entries: dataFlags === NLA_F_NESTED ? CANONICAL_ENTRIES : [{ kind: 'name', flags: 0 }, { kind: 'data', flags: dataFlags }],
    ...(listElementFlags !== undefined ? { listElementFlags } : {}),
    ...(switched !== undefined ? { otherStringForm: switched } : {}),
  };
}

/** What encoding and decoding need about a definition, computed once. */
export interface DefinitionInfo {
  readonly definition: ExpressionDefinition;
  /** NFTA_EXPR_NAME's payload: the name and its NUL. */
  readonly nameBytes: Uint8Array;
  /** The whole NFTA_EXPR_NAME attribute (header, name, NUL, padding), as a built element has it. */
  readonly nameAttribute: Uint8Array;
  /** Attribute keys in declaration order (nft's order for values built in code). */
  readonly keys: readonly string[];
  /** Each attribute key's place in the declaration. */
  readonly order: ReadonlyMap<string, number>;
  /** String attributes by type, with whether their codec writes a NUL. */
  readonly strings: ReadonlyMap<number, { key: string; nul: boolean }>;
  /** The data set's compiled reader (decode-plan.ts), filling a `{ type }` object. */
  readonly read: AttributesReader;
  /** A new `{ type: name }`, what a decoded expression starts as. */
  readonly start: () => { type: string };
  /** The data set's direct writer (direct-write.ts), `type` left out, once used a few times (tier-up.ts). */
  readonly directData: () => DirectWriter | undefined;
  /**
   * The definition's verdict per set of attributes present (a mask, as lastRead.present has
   * it): 0 not asked yet, VALID, INVALID. Its `validate` looks at nothing else (see
   * ExpressionDefinition.validate), and asking it for each of a listing's 70,000 expressions
   * took a tenth of the listing's JavaScript. Undefined for a definition without `validate`
   * or with too many attributes for a table.
   */
  readonly verdicts: Uint8Array | undefined;
}

/** Attributes up to which a definition's verdicts are kept in a table (2^n entries). */
const VERDICT_TABLE_BITS = 12;
const VALID = 1;
const INVALID = 2;
const infos = new WeakMap<ExpressionDefinition, DefinitionInfo>();

export function infoOf(definition: ExpressionDefinition): DefinitionInfo {
  let info = infos.get(definition);
  if (!info) {
    const strings = new Map<number, { key: string; nul: boolean }>();
    for (const [key, spec] of Object.entries(definition.data.specs)) {
      if (otherStringForm.has(spec.codec)) strings.set(spec.type, { key, nul: writesNul(spec.codec) });
    }
    const keys = Object.keys(definition.data.specs);
    const nameBytes = encodeKernelText(`${definition.name}\0`);
    const nameAttribute = new Uint8Array(align4(NLA_HDRLEN + nameBytes.length));
    new DataView(nameAttribute.buffer).setUint16(0, NLA_HDRLEN + nameBytes.length, true);
    new DataView(nameAttribute.buffer).setUint16(2, NftaExpr.NFTA_EXPR_NAME, true);
    nameAttribute.set(nameBytes, NLA_HDRLEN);
    const type = definition.name;
    const Expression = plainObjectMaker();
    info = {
      definition, nameBytes, nameAttribute, keys, order: new Map(keys.map((k, i) => [k, i])), strings,
      read: compileAttributesReader(definition.data as unknown as AttributeSet<AttributeSpecs>),
      start: () => {
        const out = new Expression();
        out.type = type;
        return out as { type: string };
      },
      directData: compiledAfterUses(() => definition.data.directWriters('type').inDeclarationOrder),
      verdicts: definition.validate && keys.length <= VERDICT_TABLE_BITS ? new Uint8Array(1 << keys.length) : undefined,
    };
    infos.set(definition, info);
  }
  return info;
}

const byType = new Map<string, DefinitionInfo>();

/** A modelled expression type's definition and what is precomputed for it, in one lookup. */
export function modelledType(type: string): DefinitionInfo | undefined {
  let info = byType.get(type);
  if (info === undefined) {
    const definition = expressionDefinition(type);
    if (!definition) return undefined;
    // Only modelled names are kept, so arbitrary input cannot grow the table.
    info = infoOf(definition);
    byType.set(type, info);
  }
  return info;
}

/**
 * Modelled definitions by the length of their NFTA_EXPR_NAME payload (name and NUL) and its
 * first two bytes, which tell every modelled name apart; a collision would only mean a list.
 */
let byNameKey: Map<number, DefinitionInfo[]> | undefined;
const nameKey = (len: number, first: number, second: number): number => (len << 16) | (first << 8) | second;

/**
 * The modelled definition whose name (with its NUL) is exactly `bytes[off, off + len)`, found
 * without making a string of it.
 */
export function definitionNamed(bytes: Uint8Array, off: number, len: number): DefinitionInfo | undefined {
  if (byNameKey === undefined) {
    byNameKey = new Map();
    for (const d of expressionDefinitions() as unknown as ExpressionDefinition[]) {
      const info = infoOf(d);
      const name = info.nameBytes;
      const key = nameKey(name.length, name[0]!, name[1]!);
      byNameKey.set(key, [...(byNameKey.get(key) ?? []), info]);
    }
  }
  if (len < 2) return undefined;
  const candidates = byNameKey.get(nameKey(len, bytes[off]!, bytes[off + 1]!));
  if (candidates === undefined) return undefined;
  for (let c = 0; c < candidates.length; c++) {
    const info = candidates[c]!;
    const name = info.nameBytes;
    let i = 2;
    while (i < len && bytes[off + i] === name[i]) i++;
    if (i === len) return info;
  }
  return undefined;
}

/**
 * Top-level string attributes whose NUL (present or not) differs from what their codec writes,
 * in `data[off, end)` (attribute headers already validated by the decode before); undefined
 * when there are none.
 */
export function stringsInOtherForm(info: DefinitionInfo, data: Uint8Array, off: number, end: number): string[] | undefined {
  if (info.strings.size === 0) return undefined;
  let out: string[] | undefined;
  for (let pos = off; pos + NLA_HDRLEN <= end; ) {
    const len = data[pos]! | (data[pos + 1]! << 8);
    const string = info.strings.get((data[pos + 2]! | (data[pos + 3]! << 8)) & NLA_TYPE_MASK);
    if (len < NLA_HDRLEN) break;
    if (string) {
      const hasNul = len > NLA_HDRLEN && data[pos + len - 1] === 0;
      if (hasNul !== string.nul) (out ??= []).push(string.key);
    }
    pos += align4(len);
  }
  return out;
}

/**
 * Whether an expression decoded by its data set's compiled reader re-encodes to the same bytes
 * as a value built in code would (so it needs no layout): its attributes came in declaration
 * order (`inDeclarationOrder`, as the reader reported), the data attribute written (`any`: nft
 * omits it for some expressions without attributes), and valid as such values must be —
 * which depends only on the attributes `present` (the reader's mask, or -1 when unknown).
 */
export function encodesAsBuilt(info: DefinitionInfo, value: Record<string, unknown>, inDeclarationOrder: boolean, any: boolean, present: number): boolean {
  if (!inDeclarationOrder) return false;
  const definition = info.definition;
  if (!any && definition.noData) return false;
  const verdicts = info.verdicts;
  if (verdicts === undefined || present < 0 || present >= verdicts.length) return definition.validate?.(value) === undefined;
  let verdict = verdicts[present]!;
  if (verdict === 0) verdicts[present] = verdict = definition.validate!(value) === undefined ? VALID : INVALID;
  return verdict === VALID;
}
