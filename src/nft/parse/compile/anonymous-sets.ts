/**
 * The anonymous sets and maps nft creates for `{ … }` inside a rule: NFT_MSG_NEWSET (named
 * `__set%d` or `__map%d`, anonymous and constant, numbered by a batch-wide id the rule's
 * lookup refers to) and NFT_MSG_NEWSETELEM with its elements, with the userdata nft records.
 */
import { NlmFlags } from '../../../netlink/constants.js';
import type { NftCommand } from '../../command.js';
import { NftByteorder, NftDataType, type TableFamily } from '../../constants.js';
import type { SetAttributes, SetFlag } from '../../set.js';
import type { UdataEntry } from '../../udata.js';
import type { SetElementNode } from '../ast.js';
import type { ValueResolvers, ValueShape } from './datatypes.js';
import { encodeElements, needsInterval, type ElementShape } from './elements.js';
import type { Key } from './keys.js';
import { TYPEOF_VERDICT } from './typeof.js';

/** What a map maps to: values of a shape (an address, `address . port`), or verdicts. */
export type MapData = { kind: 'value'; shape: ElementShape; type: number; len: number } | { kind: 'verdict' };

export interface SetTarget {
  family: TableFamily;
  table: string;
  resolvers: ValueResolvers;
  /** The next set id of the batch (nft numbers the sets of a batch 1, 2, 3 …). */
  nextSetId(): number;
}

/** The shape of a key's values (one per part of a concatenation). */
export function shapeOf(key: Key): ElementShape {
  const one = (k: Key): ValueShape => ({ type: k.type, size: k.size, order: k.order });
  return { parts: key.parts ? key.parts.map(one) : [one(key)] };
}

/** nft's byte order userdata value of a key: host or big endian, or "invalid" for a concatenation. */
export function byteorderOf(order: 'big' | 'host' | 'concat'): number {
  return order === 'concat' ? NftByteorder.invalid : order === 'big' ? NftByteorder.big : NftByteorder.host;
}

/** The NEWSET and NEWSETELEM commands of an anonymous set, and its name and id. */
export function anonymousSet(key: Key, elements: readonly SetElementNode[], data: MapData | undefined, target: SetTarget): { commands: NftCommand[]; name: string; id: number } {
  const interval = data === undefined && needsInterval(elements);
  const encoded = encodeElements(elements, shapeOf(key), data === undefined ? undefined : data.kind === 'verdict' ? 'verdict' : data.shape, interval, target.resolvers);
  const id = target.nextSetId();
  const name = data === undefined ? '__set%d' : '__map%d';
  const flags: SetFlag[] = ['anonymous', 'constant'];
  if (interval) flags.push('interval');
  if (data) flags.push('map');
  const keyOrder = byteorderOf(key.parts ? 'concat' : key.order);
  const userdata: UdataEntry<string>[] = [{ type: 'key-byteorder', value: keyOrder }];
  // Attribute order as nft writes it: table, name, flags, key, data, id, desc, userdata.
  const attributes: SetAttributes = { table: target.table, name, flags, keyType: key.setType, keyLen: key.size };
  if (data?.kind === 'value') {
    attributes.dataType = data.type;
    attributes.dataLen = data.len;
    userdata.push({ type: 'data-byteorder', value: byteorderOf(data.shape.parts.length > 1 ? 'concat' : data.shape.parts[0]!.order) });
    userdata.push({ type: 'data-interval', value: 0 });
  } else if (data?.kind === 'verdict') {
    attributes.dataType = NftDataType.NFT_DATA_VERDICT;
    attributes.dataLen = 0;
    userdata.push({ type: 'data-byteorder', value: NftByteorder.invalid }, { type: 'data-typeof', value: TYPEOF_VERDICT }, { type: 'data-interval', value: 0 });
  } else {
    if (interval) userdata.push({ type: 'merge-elements', value: 1 });
    if (key.typeofData) userdata.push({ type: 'key-typeof', value: key.typeofData });
  }
  attributes.id = id;
  attributes.desc = { size: encoded.size };
  attributes.userdata = userdata as SetAttributes['userdata'];
  const set: NftCommand = { type: 'NFT_MSG_NEWSET', family: target.family, flags: NlmFlags.NLM_F_CREATE, attributes, description: `add set ${target.family} ${target.table} ${name} (anonymous)` };
  const elems: NftCommand = {
    type: 'NFT_MSG_NEWSETELEM',
    family: target.family,
    flags: NlmFlags.NLM_F_CREATE,
    attributes: { table: target.table, set: name, setId: id, elements: encoded.elements },
    description: `add element ${target.family} ${target.table} ${name} (anonymous)`,
  };
  return { commands: [set, elems], name, id };
}
