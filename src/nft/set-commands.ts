/**
 * Commands on sets, maps and their elements. Types are nft datatypes (see set-types.ts), so
 * keys can be given as addresses, ports and interface names; interval sets take prefixes or
 * ranges and get the start/end elements nft would write. Pure: nothing is sent.
 */
import { NlmFlags } from '../netlink/constants.js';
import { ValidationError } from '../netlink/errors.js';
import { NftnlUdataSet, type TableFamily } from './constants.js';
import type { NftCommand } from './command.js';
import { verdict, type Data } from './expression-codecs.js';
import type { SetElementAttributes } from './set-element.js';
import { encodeValue, prefixRange, resolveType, successor, type FieldValue, type ResolvedType, type SetDataType, type SetKeyType } from './set-types.js';
import type { SetAttributes, SetFlag } from './set.js';
import type { AddOptions } from './table-commands.js';
import type { UdataEntry } from './udata.js';
import { checkComment, checkFamily, checkMilliseconds, checkName, checkOneOf, checkU32 } from './validate.js';

/** The flags a user chooses (nft's words: `dynamic` is NFT_SET_EVAL). */
export type SetSpecFlag = 'constant' | 'interval' | 'timeout' | 'dynamic';
const DEFAULT_SET_ID = 1;
const USER_FLAGS: Record<SetSpecFlag, SetFlag> = { constant: 'constant', interval: 'interval', timeout: 'timeout', dynamic: 'eval' };

export interface SetSpec {
  family: TableFamily;
  table: string;
  name: string;
  key: SetKeyType;
  /** Makes it a map with values of this type (`verdict` for a verdict map). */
  data?: SetDataType;
  flags?: SetSpecFlag[];
  /** Default element timeout, ms. */
  timeout?: number;
  /** Garbage collection interval, ms. */
  gcInterval?: number;
  /** Expected number of elements (NFTA_SET_DESC_SIZE). */
  size?: number;
  policy?: 'performance' | 'memory';
  comment?: string;
  /**
   * NFTA_SET_ID (default 1): lets later commands of the same batch refer to this set. Give
   * distinct ids to sets of one batch that are referred to by id (anonymous sets).
   */
  id?: number;
  /** An anonymous set (`{ 1.2.3.4, … }` inside a rule): name it `__set%d`, the kernel numbers it. */
  anonymous?: boolean;
}

export type SetRef = { family: TableFamily; table: string; name: string };

function byteorderUdata(kind: 'key-byteorder' | 'data-byteorder', t: ResolvedType): UdataEntry<keyof typeof NftnlUdataSet>[] {
  // nft records the byte order of single-type keys and data, and 0 for concatenations.
  return t.byteorder !== undefined ? [{ type: kind, value: t.byteorder }] : t.fields ? [{ type: kind, value: 0 }] : [];
}

/** `add set` / `add map`. */
export function addSet(spec: SetSpec, options: AddOptions = {}): NftCommand {
  const family = checkFamily(spec.family);
  const key = resolveType(spec.key, 'key');
  if (spec.key === 'verdict') throw new ValidationError('key', 'a key cannot be a verdict', spec.key);
  const data = spec.data === undefined ? undefined : resolveType(spec.data, 'data');
  const userFlags = (spec.flags ?? []).map((f, i) => USER_FLAGS[checkOneOf(f, Object.keys(USER_FLAGS) as SetSpecFlag[], `flags[${i}]`)]);
  const flags: SetFlag[] = [];
  if (spec.anonymous) {
    if (spec.id === undefined) throw new ValidationError('id', 'an anonymous set needs an id (its elements and the rule refer to it by id)', undefined);
    flags.push('anonymous', 'constant');
  }
  for (const f of userFlags) if (!flags.includes(f)) flags.push(f);
  if (data) flags.push('map');
  if (key.fields && flags.includes('interval')) flags.push('concat');
  if (spec.timeout !== undefined && !flags.includes('timeout')) flags.push('timeout');
  // Attribute order as nft writes it (libnftnl's): table, name, flags, key, data, id, policy,
  // desc, timeout, gc-interval, userdata.
  const a: SetAttributes = { table: checkName(spec.table, 'table'), name: spec.anonymous ? '__set%d' : checkName(spec.name, 'name'), flags, keyType: key.type, keyLen: key.len };
  if (data) {
    a.dataType = data.type;
    a.dataLen = data.len;
  }
  // The kernel requires NFTA_SET_ID (it names the set within its batch); nft numbers from 1.
  a.id = spec.id === undefined ? DEFAULT_SET_ID : checkU32(spec.id, 'id', 1);
  if (spec.policy !== undefined) a.policy = checkOneOf(spec.policy, ['performance', 'memory'] as const, 'policy');
  if (spec.size !== undefined || (key.fields && flags.includes('interval'))) {
    a.desc = {};
    if (spec.size !== undefined) a.desc.size = checkU32(spec.size, 'size', 1);
    if (key.fields && flags.includes('interval')) a.desc.concat = { field: key.fields.map((len) => ({ len })) };
  }
  if (spec.timeout !== undefined) a.timeout = checkMilliseconds(spec.timeout, 'timeout');
  if (spec.gcInterval !== undefined) a.gcInterval = checkU32(spec.gcInterval, 'gcInterval');
  const userdata = [...byteorderUdata('key-byteorder', key), ...(data && data.len > 0 ? byteorderUdata('data-byteorder', data) : [])];
  if (spec.comment !== undefined) userdata.push({ type: 'comment', value: checkComment(spec.comment, 'comment') });
  if (userdata.length > 0) a.userdata = userdata;
  let nlFlags: number = NlmFlags.NLM_F_CREATE;
  if (options.exclusive) nlFlags |= NlmFlags.NLM_F_EXCL;
  if (options.echo) nlFlags |= NlmFlags.NLM_F_ECHO;
  return { type: 'NFT_MSG_NEWSET', family, flags: nlFlags, attributes: a };
}

/** `delete set` / `delete map` (or, with `ifExists`, `destroy`). */
export function deleteSet(ref: SetRef, options: { ifExists?: boolean } = {}): NftCommand {
  checkFamily(ref.family);
  return { type: options.ifExists ? 'NFT_MSG_DESTROYSET' : 'NFT_MSG_DELSET', family: ref.family, attributes: { table: checkName(ref.table, 'table'), name: checkName(ref.name, 'name') } };
}

/** A map value that is a verdict. */
export type VerdictSpec = 'accept' | 'drop' | 'continue' | 'return' | { jump: string } | { goto: string };
export type ElementValue = FieldValue | readonly FieldValue[];

export interface ElementSpec {
  /** The key; in an interval set also a prefix (`10.0.0.0/8`), the start of a range with `to`. */
  key: ElementValue;
  /** Interval sets: the last value of the range (inclusive). */
  to?: ElementValue;
  /** Maps: the value (or a verdict in verdict maps). */
  data?: ElementValue | VerdictSpec;
  /** ms */
  timeout?: number;
  comment?: string;
}

export interface ElementsSpec extends SetRef {
  /** The set's key type (as declared with addSet); needed to encode keys given as values. */
  key: SetKeyType;
  /** The map's data type. */
  data?: SetDataType;
  /** The set has the interval flag: prefixes and ranges become start/end elements. */
  interval?: boolean;
  elements: ElementSpec[];
  /** NFTA_SET_ELEM_LIST_SET_ID: a set added earlier in the same batch (anonymous sets). */
  setId?: number;
}

function isVerdict(v: unknown): v is VerdictSpec {
  return v === 'accept' || v === 'drop' || v === 'continue' || v === 'return' || (typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array) && ('jump' in v || 'goto' in v));
}

function dataOf(type: ResolvedType | undefined, value: ElementValue | VerdictSpec, path: string): Data {
  if (!type) throw new ValidationError(path, 'the set is not a map (give the data type)', value);
  if (type.len === 0) {
    if (!isVerdict(value)) throw new ValidationError(path, 'must be a verdict: accept, drop, continue, return, { jump }, { goto }', value);
    if (typeof value === 'string') return verdict(value);
    return 'jump' in value ? verdict('jump', checkName(value.jump, `${path}.jump`)) : verdict('goto', checkName(value.goto, `${path}.goto`));
  }
  if (isVerdict(value)) throw new ValidationError(path, 'a verdict needs a verdict map', value);
  return { value: encodeValue(type, value as ElementValue, path) };
}

/** Start and inclusive end of an interval element, field by field. */
function rangeOf(key: ResolvedType, e: ElementSpec, path: string): [Uint8Array, Uint8Array] {
  const fieldRange = (name: string | undefined, len: number, v: FieldValue, to: FieldValue | undefined, p: string): [Uint8Array, Uint8Array] => {
    if (to === undefined && typeof v === 'string' && v.includes('/') && (name === 'ipv4_addr' || name === 'ipv6_addr')) {
      const [first, last] = prefixRange(v, p);
      if (first.length !== len) throw new ValidationError(p, `must be an ${name === 'ipv4_addr' ? 'IPv4' : 'IPv6'} prefix`, v);
      return [first, last];
    }
    const one = { type: 0, len, ...(name ? { names: [name as never] } : {}) };
    const first = encodeValue(one, v, p);
    return [first, to === undefined ? first : encodeValue(one, to, `${p}.to`)];
  };
  if (!key.fields) return fieldRange(key.names?.[0], key.len, e.key as FieldValue, e.to as FieldValue | undefined, path);
  const keys = e.key as readonly FieldValue[];
  const tos = e.to as readonly FieldValue[] | undefined;
  if (!Array.isArray(keys) || keys.length !== key.fields.length) throw new ValidationError(path, `must be a list of ${key.fields.length} values`, e.key);
  const starts: Uint8Array[] = [];
  const ends: Uint8Array[] = [];
  key.fields.forEach((len, i) => {
    const [s, t] = fieldRange(key.names?.[i], len, keys[i]!, tos?.[i], `${path}[${i}]`);
    starts.push(s);
    ends.push(t);
  });
  return [encodeValue(key, starts, path), encodeValue(key, ends, path)];
}

function elementAttributes(spec: ElementsSpec, key: ResolvedType, data: ResolvedType | undefined): SetElementAttributes[] {
  if (!Array.isArray(spec.elements)) throw new ValidationError('elements', 'must be an array', spec.elements);
  const out: SetElementAttributes[] = [];
  spec.elements.forEach((e, i) => {
    const path = `elements[${i}]`;
    // Attribute order as nft writes it: flags, timeout, key, key end, data, userdata.
    const first: SetElementAttributes = {};
    if (e.timeout !== undefined) first.timeout = checkMilliseconds(e.timeout, `${path}.timeout`);
    let end: SetElementAttributes | undefined;
    if (spec.interval) {
      const [start, last] = rangeOf(key, e, `${path}.key`);
      first.key = { value: start };
      if (key.fields) first.keyEnd = { value: last };
      else {
        const next = successor(last);
        // A range reaching the top of the key space has no end element.
        if (next) end = { flags: ['interval-end'], key: { value: next } };
      }
    } else {
      if (e.to !== undefined) throw new ValidationError(`${path}.to`, 'ranges need an interval set', e.to);
      first.key = { value: encodeValue(key, e.key, `${path}.key`) };
    }
    if (e.data !== undefined) first.data = dataOf(data, e.data, `${path}.data`);
    else if (data) throw new ValidationError(`${path}.data`, 'a map element needs a value', undefined);
    if (e.comment !== undefined) first.userdata = [{ type: 'comment', value: checkComment(e.comment, `${path}.comment`) }];
    out.push(first);
    if (end) out.push(end);
  });
  return out;
}

function elementsCommand(type: 'NFT_MSG_NEWSETELEM' | 'NFT_MSG_DELSETELEM', spec: ElementsSpec, flags: number): NftCommand {
  const family = checkFamily(spec.family);
  const key = resolveType(spec.key, 'key');
  const data = spec.data === undefined ? undefined : resolveType(spec.data, 'data');
  const attributes = { table: checkName(spec.table, 'table'), set: spec.setId !== undefined ? spec.name : checkName(spec.name, 'name'), elements: elementAttributes(spec, key, type === 'NFT_MSG_NEWSETELEM' ? data : undefined) };
  if (spec.setId !== undefined) Object.assign(attributes, { setId: checkU32(spec.setId, 'setId', 1) });
  return { type, family, flags, attributes };
}

/** `add element FAMILY TABLE SET { … }` */
export function addElements(spec: ElementsSpec, options: AddOptions = {}): NftCommand {
  let flags: number = NlmFlags.NLM_F_CREATE;
  if (options.exclusive) flags |= NlmFlags.NLM_F_EXCL;
  return elementsCommand('NFT_MSG_NEWSETELEM', spec, flags);
}

/** `delete element FAMILY TABLE SET { … }` (map values are not needed). */
export function deleteElements(spec: Omit<ElementsSpec, 'data'> & { elements: Omit<ElementSpec, 'data'>[] }): NftCommand {
  return elementsCommand('NFT_MSG_DELSETELEM', spec, 0);
}

/** `flush set`: remove every element. */
export function flushSet(ref: SetRef): NftCommand {
  checkFamily(ref.family);
  return { type: 'NFT_MSG_DELSETELEM', family: ref.family, attributes: { table: checkName(ref.table, 'table'), set: checkName(ref.name, 'name') } };
}
