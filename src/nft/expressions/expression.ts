/**
 * One expression (the content of an NFTA_LIST_ELEM: NFTA_EXPR_NAME + NFTA_EXPR_DATA) and a rule's
 * list of them (NFTA_RULE_EXPRESSIONS). Known names decode to `{ type: name, …attributes }`;
 * names this version does not model decode to `{ type: 'opaque', name, data }` with the data
 * kept as raw attributes. Either way decode → encode gives back the same bytes: the wire
 * details a value does not show (attribute order and flag bits, whether NFTA_EXPR_DATA was
 * present, the list element's flags) ride along as hidden, non-enumerable properties.
 */
import { NLA_F_NESTED, NLA_F_NET_BYTEORDER, NLA_HDRLEN, NLA_TYPE_MASK } from '../../netlink/constants.js';
import { DecodeError, ValidationError } from '../../netlink/errors.js';
import type { FieldCodec } from '../../netlink/field.js';
import { cstring } from '../../netlink/fields.js';
import { encodeKernelText } from '../../netlink/text.js';
import { decodeRawAttributes, walkAttributes, writeRawAttributes, type RawAttribute } from '../../netlink/raw-attributes.js';
import { align4, type Writer } from '../../netlink/writer.js';
import { copyWireLayout, defineAttributeSet, type AttributeSet, type AttributeSpecs } from '../../netlink/attribute-set.js';
import { NFTA_LIST_ELEM } from '../constants.js';
import { NftaExpr } from './constants.js';
import type { ExpressionDefinition, ExpressionOf } from './definition.js';
import { expressionDefinition, type ModelledDefinition } from './registry.js';
import { otherStringForm, writesNul } from './strings.js';

/** An expression whose name this version does not model, kept byte-exact. */
export interface OpaqueExpression {
  type: 'opaque';
  /** The kernel's NFTA_EXPR_NAME. */
  name: string;
  /** The attributes inside NFTA_EXPR_DATA, exactly as on the wire. */
  data: RawAttribute[];
}

/** Any expression: one of the modelled ones (discriminated by `type`) or an opaque one. */
export type Expression = ExpressionOf<ModelledDefinition> | OpaqueExpression;
/** The `type` values of the modelled expressions. */
export type ExpressionType = ModelledDefinition['name'];

/** How an expression element looked on the wire, so re-encoding reproduces it. */
interface ElementLayout {
  /** The element's attributes in wire order: name, data, or anything else (kept raw). */
  entries: Array<{ kind: 'name' | 'data'; flags: number } | { kind: 'other'; raw: RawAttribute }>;
  /** Flag bits of the enclosing NFTA_LIST_ELEM header (list decoding only). */
  listElementFlags?: number;
  /** String attributes that came in the other form than their codec writes (with or without NUL). */
  otherStringForm?: string[];
}
/** Wire layouts of decoded elements, kept outside the values (invisible to equality and JSON). */
const elementLayouts = new WeakMap<object, ElementLayout>();
const FLAG_BITS = NLA_F_NESTED | NLA_F_NET_BYTEORDER;
const DEFAULT_LAYOUT: ElementLayout = { entries: [{ kind: 'name', flags: 0 }, { kind: 'data', flags: NLA_F_NESTED }] };
const NAME_ONLY_LAYOUT: ElementLayout = { entries: [{ kind: 'name', flags: 0 }] };

function layoutOf(value: object): ElementLayout | undefined {
  return elementLayouts.get(value);
}

/** What encoding and decoding need about a definition, computed once. */
interface DefinitionInfo {
  /** NFTA_EXPR_NAME's payload: the name and its NUL. */
  nameBytes: Uint8Array;
  /** Attribute keys in declaration order (nft's order for values built in code). */
  keys: readonly string[];
  /** String attributes by type, with whether their codec writes a NUL. */
  strings: ReadonlyMap<number, { key: string; nul: boolean }>;
}
const infos = new WeakMap<ExpressionDefinition, DefinitionInfo>();

function infoOf(definition: ExpressionDefinition): DefinitionInfo {
  let info = infos.get(definition);
  if (!info) {
    const strings = new Map<number, { key: string; nul: boolean }>();
    for (const [key, spec] of Object.entries(definition.data.specs)) {
      if (otherStringForm.has(spec.codec)) strings.set(spec.type, { key, nul: writesNul(spec.codec) });
    }
    info = { nameBytes: encodeKernelText(`${definition.name}\0`), keys: Object.keys(definition.data.specs), strings };
    infos.set(definition, info);
  }
  return info;
}

function decodeElement(bytes: Uint8Array, at: number, path: string): Expression {
  const layout: ElementLayout = { entries: [] };
  let name: string | undefined;
  let data: { payload: Uint8Array; at: number } | undefined;
  walkAttributes(bytes, at, path, (type, flags, payload, payloadAt) => {
    if (type === NftaExpr.NFTA_EXPR_NAME && name === undefined) {
      name = cstring.decode(payload, payloadAt, `${path}.name`);
      layout.entries.push({ kind: 'name', flags });
    } else if (type === NftaExpr.NFTA_EXPR_DATA && data === undefined) {
      data = { payload, at: payloadAt };
      layout.entries.push({ kind: 'data', flags });
    } else {
      const raw = { type, nested: (flags & NLA_F_NESTED) !== 0, netByteOrder: (flags & NLA_F_NET_BYTEORDER) !== 0, value: payload.slice() };
      layout.entries.push({ kind: 'other', raw });
    }
  });
  if (name === undefined) throw new DecodeError(path, at, 'expression without NFTA_EXPR_NAME');
  const found = data as { payload: Uint8Array; at: number } | undefined;
  const definition = expressionDefinition(name);
  let out: Expression;
  if (definition) {
    const attributes = found ? definition.data.decode(found.payload, found.at, `${path}.${name}`) : {};
    out = { type: name, ...attributes } as Expression;
    copyWireLayout(attributes, out);
    if (found) {
      const switched = stringsInOtherForm(infoOf(definition), found.payload);
      if (switched.length > 0) layout.otherStringForm = switched;
    }
  } else {
    out = { type: 'opaque', name, data: found ? decodeRawAttributes(found.payload, found.at, `${path}.${name}`) : [] };
  }
  elementLayouts.set(out, layout);
  return out;
}

/**
 * Top-level string attributes whose NUL (present or not) differs from what their codec writes.
 * Reads only the attribute headers of `data` (already validated by the decode before).
 */
function stringsInOtherForm(info: DefinitionInfo, data: Uint8Array): string[] {
  const out: string[] = [];
  if (info.strings.size === 0) return out;
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  for (let pos = 0; pos + NLA_HDRLEN <= data.length; ) {
    const len = view.getUint16(pos, true);
    const string = info.strings.get(view.getUint16(pos + 2, true) & NLA_TYPE_MASK);
    if (len < NLA_HDRLEN) break;
    if (string) {
      const hasNul = len > NLA_HDRLEN && data[pos + len - 1] === 0;
      if (hasNul !== string.nul) out.push(string.key);
    }
    pos += align4(len);
  }
  return out;
}

const variantSets = new Map<string, AttributeSet<AttributeSpecs>>();

/** The definition's attribute set with the string codecs of `keys` swapped to the other form. */
function withOtherStringForm(definition: ExpressionDefinition, keys: readonly string[]): AttributeSet<AttributeSpecs> {
  const id = `${definition.name}:${[...keys].sort().join(',')}`;
  let set = variantSets.get(id);
  if (!set) {
    const specs: AttributeSpecs = { ...definition.data.specs };
    for (const key of keys) specs[key] = { ...specs[key]!, codec: otherStringForm.get(specs[key]!.codec)! };
    set = defineAttributeSet(definition.data.name, specs);
    variantSets.set(id, set);
  }
  return set;
}

/** The attributes of a modelled expression (everything but `type`), in declaration order. */
function attributesOf(value: Record<string, unknown>, definition: ExpressionDefinition): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (layoutOf(value)) {
    // Decoded: the remembered wire layout decides the order.
    for (const key in value) if (key !== 'type') out[key] = value[key];
  } else {
    for (const key of infoOf(definition).keys) if (value[key] !== undefined) out[key] = value[key];
    for (const key in value) if (key !== 'type' && !(key in out)) out[key] = value[key];
  }
  copyWireLayout(value, out);
  return out;
}

function encodeElement(w: Writer, value: Expression, path: string): void {
  if (value === null || typeof value !== 'object' || typeof value.type !== 'string') {
    throw new ValidationError(path, "must be an expression object with a string 'type'", value);
  }
  let name: string;
  let nameBytes: Uint8Array | undefined;
  let writeData: ((inner: Writer) => void) | undefined;
  if (value.type === 'opaque') {
    const opaque = value as OpaqueExpression;
    if (typeof opaque.name !== 'string' || opaque.name === '' || opaque.name.includes('\0')) {
      throw new ValidationError(`${path}.name`, 'an opaque expression needs its kernel name (a non-empty string without NUL)', opaque.name);
    }
    if (!Array.isArray(opaque.data)) throw new ValidationError(`${path}.data`, 'must be an array of raw attributes', opaque.data);
    name = opaque.name;
    writeData = (inner) => writeRawAttributes(inner, opaque.data, `${path}.${name}`);
  } else {
    const definition = expressionDefinition(value.type);
    if (!definition) {
      throw new ValidationError(`${path}.type`, `unknown expression '${value.type}' (write { type: 'opaque', name, data } for expressions this version does not model)`, value.type);
    }
    name = definition.name;
    nameBytes = infoOf(definition).nameBytes;
    const attributes = attributesOf(value as Record<string, unknown>, definition);
    // Cross-attribute checks are for values built in code; a decoded value is re-emitted as it was.
    const problem = layoutOf(value) ? undefined : definition.validate?.(attributes);
    if (problem !== undefined) throw new ValidationError(`${path}.${name}`, problem, value);
    const switched = layoutOf(value)?.otherStringForm;
    const set = switched ? withOtherStringForm(definition, switched) : definition.data;
    writeData = (inner) => set.encode(inner, attributes, `${path}.${name}`);
    if (definition.noData && !layoutOf(value) && Object.keys(attributes).length === 0) writeData = undefined;
  }
  const layout = layoutOf(value) ?? (writeData ? DEFAULT_LAYOUT : NAME_ONLY_LAYOUT);
  for (const entry of layout.entries) {
    if (entry.kind === 'other') {
      writeRawAttributes(w, [entry.raw], path);
    } else if (entry.kind === 'name') {
      w.attribute(NftaExpr.NFTA_EXPR_NAME, flagsOption(entry.flags), `${path}.name`, (inner) => (nameBytes ? inner.bytes(nameBytes) : cstring.encode(inner, name, `${path}.name`)));
    } else {
      w.attribute(NftaExpr.NFTA_EXPR_DATA, flagsOption(entry.flags), `${path}.${name}`, writeData ?? (() => {}));
    }
  }
}

const FLAG_OPTIONS = [0, NLA_F_NET_BYTEORDER, NLA_F_NESTED, FLAG_BITS].map((f) => ({ nested: (f & NLA_F_NESTED) !== 0, netByteOrder: (f & NLA_F_NET_BYTEORDER) !== 0 }));

function flagsOption(flags: number): { nested: boolean; netByteOrder: boolean } {
  return FLAG_OPTIONS[((flags & NLA_F_NESTED) ? 2 : 0) + ((flags & NLA_F_NET_BYTEORDER) ? 1 : 0)]!;
}

/** One expression: the content of an NFTA_LIST_ELEM (or of NFTA_SET_EXPR, NFTA_DYNSET_EXPR …). */
export const expressionCodec: FieldCodec<Expression> = {
  kind: 'nested(expression)',
  nested: true,
  encode: encodeElement,
  decode: decodeElement,
  validate(value) {
    return value !== null && typeof value === 'object' && typeof value.type === 'string' ? undefined : "must be an expression object with a string 'type'";
  },
};

/**
 * A list of expressions: the content of NFTA_RULE_EXPRESSIONS (also NFTA_SET_EXPRESSIONS …),
 * one NFTA_LIST_ELEM each. Errors name the element: `expressions[2].cmp.data`.
 */
export const expressionListCodec: FieldCodec<Expression[]> = {
  kind: 'nested(expressions)',
  nested: true,
  encode(w, list, path) {
    if (!Array.isArray(list)) throw new ValidationError(path, 'must be an array of expressions', list);
    list.forEach((expression, i) => {
      const at = `${path}[${i}]`;
      const flags = (expression && typeof expression === 'object' ? layoutOf(expression)?.listElementFlags : undefined) ?? NLA_F_NESTED;
      w.attribute(NFTA_LIST_ELEM, flagsOption(flags), at, (inner) => encodeElement(inner, expression, at));
    });
  },
  decode(bytes, at, path) {
    const out: Expression[] = [];
    walkAttributes(bytes, at, path, (type, flags, payload, payloadAt) => {
      const i = out.length;
      // The kernel refuses any other attribute in an expression list (nf_tables_newrule: EINVAL).
      if (type !== NFTA_LIST_ELEM) throw new DecodeError(`${path}[${i}]`, payloadAt - 4, `attribute type ${type} in an expression list (only NFTA_LIST_ELEM)`);
      const expression = decodeElement(payload, payloadAt, `${path}[${i}]`);
      layoutOf(expression)!.listElementFlags = flags & FLAG_BITS;
      out.push(expression);
    });
    return out;
  },
  validate(list) {
    return Array.isArray(list) ? undefined : 'must be an array of expressions';
  },
};

function describeRaw(attributes: readonly RawAttribute[]): string {
  return attributes.map((a) => `${a.type}=0x${Buffer.from(a.value).toString('hex')}`).join(' ');
}

/**
 * The line `nft --debug=netlink` prints for an expression (libnftnl's default output):
 * `[ payload load 4b @ network header + 12 => reg 1 ]`, `[ cmp eq reg 1 0x0100000a ]`.
 */
export function describeExpression(expression: Expression): string {
  let name: string;
  let body: string;
  if (expression.type === 'opaque') {
    name = expression.name;
    body = describeRaw(expression.data);
  } else {
    const definition = expressionDefinition(expression.type);
    if (!definition) throw new ValidationError('type', `unknown expression '${String(expression.type)}'`, expression.type);
    name = definition.name;
    body = definition.describe(attributesOf(expression as Record<string, unknown>, definition));
  }
  return body === '' ? `[ ${name} ]` : `[ ${name} ${body} ]`;
}
