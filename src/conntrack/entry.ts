/** Conntrack entries as plain values, converted from and to their attributes. */
import type { IpFamily } from '../netlink/addresses.js';
import type { ConntrackAttributes, CtTupleAttributes } from './attributes.js';
import type { IpProto } from './constants.js';

export interface ConntrackTuple {
  src: string;
  dst: string;
  /** Protocol name, or number when it has none here. */
  protocol: keyof typeof IpProto | number;
  srcPort?: number;
  dstPort?: number;
}

export interface ConntrackEntry {
  family: IpFamily;
  /** The connection as its first packet saw it. */
  orig: ConntrackTuple;
  /** What replies look like: after NAT, `reply.src` is where the flow really goes. */
  reply: ConntrackTuple;
  status: Array<string | number>;
  timeout?: number;
  mark?: number;
  id?: number;
  zone?: number;
  /** The attributes as decoded, for fields not lifted above. */
  attributes: ConntrackAttributes;
}

export function tupleFrom(t: CtTupleAttributes | undefined): ConntrackTuple {
  const ip = t?.ip ?? {};
  const proto = t?.proto ?? {};
  return {
    src: ip.v4Src ?? ip.v6Src ?? '',
    dst: ip.v4Dst ?? ip.v6Dst ?? '',
    protocol: proto.num ?? 0,
    ...(proto.srcPort !== undefined ? { srcPort: proto.srcPort } : {}),
    ...(proto.dstPort !== undefined ? { dstPort: proto.dstPort } : {}),
  };
}

export function entryFrom(family: IpFamily, a: ConntrackAttributes): ConntrackEntry {
  return {
    family,
    orig: tupleFrom(a.orig),
    reply: tupleFrom(a.reply),
    status: a.status ?? [],
    ...(a.timeout !== undefined ? { timeout: a.timeout } : {}),
    ...(a.mark !== undefined ? { mark: a.mark } : {}),
    ...(a.id !== undefined ? { id: a.id } : {}),
    ...(a.zone !== undefined ? { zone: a.zone } : {}),
    attributes: a,
  };
}
