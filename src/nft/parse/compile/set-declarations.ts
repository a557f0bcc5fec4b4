/**
 * Named sets and maps: `add set … { type ipv4_addr; flags interval; … }` as the NEWSET nft
 * sends, the shape of their keys and values by datatype name, and the same description read
 * back from a set the kernel holds (to add elements to it).
 */
import { NlmFlags } from '../../../netlink/constants.js';
import type { NftCommand } from '../../command.js';
import { NftDataType, NftSetFlags, type TableFamily } from '../../constants.js';
import type { Datatype } from '../../render/datatypes.js';
import type { SetAttributes, SetFlag } from '../../set.js';
import type { UdataEntry } from '../../udata.js';
import type { SetOptions } from '../ast.js';
import type { Span } from '../errors.js';
import { byteorderOf } from './anonymous-sets.js';
import { CompileError } from './compile-error.js';
import { concatenatedTypeId, DATATYPE_BY_ID, datatypeId, splitTypeId, type ValueShape } from './datatypes.js';
import type { ElementShape } from './elements.js';
import { paddedSize } from './registers.js';
import { typeofConcat } from './typeof.js';

/** Datatypes a set can be declared with, and how their values sit in a register. */
const DECLARABLE: Readonly<Record<string, ValueShape>> = {
  ipv4_addr: { type: 'ipv4_addr', size: 4, order: 'big' },
  ipv6_addr: { type: 'ipv6_addr', size: 16, order: 'big' },
  ether_addr: { type: 'ether_addr', size: 6, order: 'big' },
  inet_proto: { type: 'inet_proto', size: 1, order: 'big' },
  inet_service: { type: 'inet_service', size: 2, order: 'big' },
  ether_type: { type: 'ether_type', size: 2, order: 'big' },
  nf_proto: { type: 'nf_proto', size: 1, order: 'host' },
  mark: { type: 'mark', size: 4, order: 'host' },
  ifname: { type: 'ifname', size: 16, order: 'host' },
  iface_index: { type: 'iface_index', size: 4, order: 'host' },
  ct_state: { type: 'ct_state', size: 4, order: 'host' },
  ct_status: { type: 'ct_status', size: 4, order: 'host' },
  pkttype: { type: 'pkttype', size: 1, order: 'host' },
  fib_addrtype: { type: 'fib_addrtype', size: 4, order: 'host' },
  icmp_type: { type: 'icmp_type', size: 1, order: 'big' },
  icmpv6_type: { type: 'icmpv6_type', size: 1, order: 'big' },
  dscp: { type: 'dscp', size: 1, order: 'big' },
};

/** User set flags (nft's words) → kernel set flags. */
const USER_FLAGS: Readonly<Record<string, SetFlag>> = { constant: 'constant', interval: 'interval', timeout: 'timeout', dynamic: 'eval' };

/** What adding elements to a set needs to know about it. */
export interface SetDescription {
  key: ElementShape;
  /** The map's values, or 'verdict' for a verdict map; undefined for a set. */
  data?: ElementShape | 'verdict';
  interval: boolean;
}

function shapeOfNames(names: readonly string[], span: Span): ElementShape {
  return {
    parts: names.map((n) => {
      const shape = DECLARABLE[n];
      if (!shape) throw new CompileError(`unknown or unsupported datatype '${n}' (one of ${Object.keys(DECLARABLE).join(', ')})`, span);
      return shape;
    }),
  };
}

function typeOf(shape: ElementShape): { type: number; len: number } {
  const single = shape.parts.length === 1;
  return {
    type: concatenatedTypeId(shape.parts.map((p) => datatypeId(p.type))),
    len: single ? shape.parts[0]!.size : shape.parts.reduce((n, p) => n + paddedSize(p.size), 0),
  };
}

/** `add set|map …` as NEWSET, and what its elements look like. */
export function declareSet(family: TableFamily, table: string, name: string, map: boolean, options: SetOptions, id: number, exclusive: boolean): { command: NftCommand; description: SetDescription } {
  if (!options.key) throw new CompileError(`a ${map ? 'map' : 'set'} needs a type: { type ipv4_addr; }`, options.span);
  if (map && !options.data) throw new CompileError('a map needs a value type: { type inet_service : ipv4_addr; }', options.span);
  const key = shapeOfNames(options.key, options.span);
  const verdict = options.data?.length === 1 && options.data[0] === 'verdict';
  const data = options.data === undefined ? undefined : verdict ? 'verdict' as const : shapeOfNames(options.data, options.span);
  const flags: SetFlag[] = [];
  for (const f of options.flags ?? []) {
    const flag = USER_FLAGS[f];
    if (!flag) throw new CompileError(`unknown set flag '${f}' (one of ${Object.keys(USER_FLAGS).join(', ')})`, options.span);
    if (!flags.includes(flag)) flags.push(flag);
  }
  if (map) flags.push('map');
  if (options.timeout !== undefined && !flags.includes('timeout')) flags.push('timeout');
  flags.sort((a, b) => NftSetFlags[a] - NftSetFlags[b]);
  const k = typeOf(key);
  // Attribute order as nft writes it: table, name, flags, key, data, id, policy, desc, timeout, gc-interval, userdata.
  const a: SetAttributes = { table, name, flags, keyType: k.type, keyLen: k.len };
  const userdata: UdataEntry<string>[] = [{ type: 'key-byteorder', value: byteorderOf(key.parts.length > 1 ? 'concat' : key.parts[0]!.order) }];
  // nft records a concatenated key's "typeof" without its parts when declared by type.
  if (key.parts.length > 1) userdata.push({ type: 'key-typeof', value: typeofConcat([]) });
  if (data === 'verdict') {
    a.dataType = NftDataType.NFT_DATA_VERDICT;
    a.dataLen = 0;
    userdata.push({ type: 'data-byteorder', value: byteorderOf('concat') }, { type: 'data-interval', value: 0 });
  } else if (data) {
    const d = typeOf(data);
    a.dataType = d.type;
    a.dataLen = d.len;
    userdata.push({ type: 'data-byteorder', value: byteorderOf(data.parts.length > 1 ? 'concat' : data.parts[0]!.order) });
    if (data.parts.length > 1) userdata.push({ type: 'data-typeof', value: typeofConcat([]) });
    userdata.push({ type: 'data-interval', value: 0 });
  }
  a.id = id;
  if (options.policy) a.policy = options.policy;
  if (options.size !== undefined) a.desc = { size: options.size };
  if (options.timeout !== undefined) a.timeout = options.timeout;
  if (options.gcInterval !== undefined) a.gcInterval = Number(options.gcInterval);
  if (options.comment !== undefined) userdata.push({ type: 'comment', value: options.comment });
  a.userdata = userdata as SetAttributes['userdata'];
  const command: NftCommand = { type: 'NFT_MSG_NEWSET', family, flags: NlmFlags.NLM_F_CREATE | (exclusive ? NlmFlags.NLM_F_EXCL : 0), attributes: a };
  return { command, description: { key, ...(data ? { data } : {}), interval: flags.includes('interval') } };
}

/** A set as the kernel reports it, described for adding elements; undefined for types this does not know. */
export function describeKernelSet(set: Pick<SetAttributes, 'flags' | 'keyType' | 'keyLen' | 'dataType' | 'dataLen' | 'desc'>): SetDescription | undefined {
  const split = (type: number, len: number, fields: number[] | undefined): ElementShape | undefined => {
    const ids = splitTypeId(type);
    const parts: ValueShape[] = [];
    for (const [i, id] of ids.entries()) {
      const name: Datatype | undefined = DATATYPE_BY_ID.get(id);
      const shape = name ? DECLARABLE[name] : undefined;
      if (!shape) return undefined;
      const size = fields?.[i] ?? (ids.length === 1 ? len : shape.size);
      parts.push({ ...shape, size });
    }
    return parts.length > 0 ? { parts } : undefined;
  };
  if (set.keyType === undefined || set.keyLen === undefined) return undefined;
  const key = split(set.keyType, set.keyLen, set.desc?.concat?.field?.map((f) => f.len ?? 0));
  if (!key) return undefined;
  const flags = set.flags ?? [];
  let data: SetDescription['data'];
  if (set.dataType === NftDataType.NFT_DATA_VERDICT) data = 'verdict';
  else if (set.dataType !== undefined && flags.includes('map')) {
    data = split(set.dataType, set.dataLen ?? 0, undefined);
    if (!data) return undefined;
  }
  return { key, ...(data ? { data } : {}), interval: flags.includes('interval') };
}
