/**
 * The `type KIND …` options of `ip link add` for the kinds netns-ts creates: veth (its `peer`
 * is parsed by link-parse.ts), bridge, macvlan, vxlan and ifb. Option names and their accepted
 * abbreviations follow iproute2 6.1 (`st` for stp_state, `mo` for mode, `rem` for remote).
 */
import type { ArgReader } from '../args.js';
import { kw, type Keyword } from '../keywords.js';
import type { BridgeOptions, MacvlanOptions, VxlanOptions } from '../../route/link-options.js';

/** Kinds `ip link add … type KIND` supports here. */
export const LINK_KINDS = ['veth', 'bridge', 'macvlan', 'vxlan', 'ifb'] as const;
export type LinkKind = (typeof LINK_KINDS)[number];

const U16_MAX = 0xffff;
const U32_MAX = 0xffffffff;
const U8_MAX = 0xff;
const VNI_MAX = 0xffffff;
const PORT_MAX = 0xffff;
const VID_MAX = 4094;
const BOOL_MAX = 1;
/** `ttl auto` / `tos inherit` are 0 and 1 on the wire (IFLA_VXLAN_TTL 0 = inherit from route). */
const TTL_AUTO = 0;
const TOS_INHERIT = 1;

type BridgeKey = keyof BridgeOptions;
const BRIDGE_OPTIONS: ReadonlyArray<Keyword & { key: BridgeKey; attr: string; max: number; bool?: true }> = [
  { ...kw('forward_delay', 2), key: 'forwardDelay', attr: 'forwardDelay', max: U32_MAX },
  { ...kw('hello_time', 2), key: 'helloTime', attr: 'helloTime', max: U32_MAX },
  { ...kw('max_age', 2), key: 'maxAge', attr: 'maxAge', max: U32_MAX },
  { ...kw('ageing_time', 2), key: 'ageingTime', attr: 'ageingTime', max: U32_MAX },
  { ...kw('stp_state', 2), key: 'stp', attr: 'stpState', max: BOOL_MAX, bool: true },
  { ...kw('priority', 2), key: 'priority', attr: 'priority', max: U16_MAX },
  { ...kw('vlan_filtering', 6), key: 'vlanFiltering', attr: 'vlanFiltering', max: BOOL_MAX, bool: true },
  { ...kw('vlan_default_pvid', 6), key: 'vlanDefaultPvid', attr: 'vlanDefaultPvid', max: VID_MAX },
  { ...kw('mcast_snooping', 7), key: 'mcastSnooping', attr: 'mcastSnooping', max: BOOL_MAX, bool: true },
  { ...kw('group_fwd_mask', 2), key: 'groupFwdMask', attr: 'groupFwdMask', max: U16_MAX },
];
const VLAN_PROTOCOL = kw('vlan_protocol', 6);

/** `type bridge [forward_delay N] [stp_state 0|1] …` */
export function parseBridgeOptions(r: ArgReader): BridgeOptions {
  const o: Record<string, unknown> = {};
  while (!r.done) {
    if (r.keyword([VLAN_PROTOCOL])) {
      const v = r.value('vlan_protocol', ['vlanProtocol', 'linkinfo.data.vlanProtocol']);
      if (v !== '802.1Q' && v !== '802.1ad') throw r.fail(`vlan_protocol ${v}`, 'must be 802.1Q or 802.1ad');
      o.vlanProtocol = v;
      continue;
    }
    const k = r.keyword(BRIDGE_OPTIONS);
    if (!k) throw r.unexpected('bridge options: forward_delay, hello_time, max_age, ageing_time, stp_state, priority, vlan_filtering, vlan_protocol, vlan_default_pvid, mcast_snooping, group_fwd_mask');
    const n = r.integer(k.name, [k.key, `linkinfo.data.${k.attr}`], 0, k.max);
    o[k.key] = k.bool ? n === 1 : n;
  }
  return o as BridgeOptions;
}

const MODE = kw('mode', 2);
const MACVLAN_MODES = ['private', 'vepa', 'bridge', 'passthru', 'source'] as const;

/** `type macvlan [mode private|vepa|bridge|passthru|source]` */
export function parseMacvlanOptions(r: ArgReader): MacvlanOptions {
  const o: MacvlanOptions = {};
  while (!r.done) {
    if (!r.keyword([MODE])) throw r.unexpected('macvlan options: mode');
    const v = r.value('mode', ['mode', 'linkinfo.data.mode']);
    if (!(MACVLAN_MODES as readonly string[]).includes(v)) throw r.fail(`mode ${v}`, `must be one of ${MACVLAN_MODES.join(', ')}`);
    o.mode = v as MacvlanOptions['mode'];
  }
  return o;
}

const VX = {
  id: kw('id', 1, ['vni']),
  group: kw('group', 1),
  remote: kw('remote', 3),
  local: kw('local', 3),
  dev: kw('dev'),
  dstport: kw('dstport', 3),
  srcport: kw('srcport', 3),
  ttl: kw('ttl', 2, ['hoplimit']),
  tos: kw('tos', 2),
  learning: kw('learning'),
  nolearning: kw('nolearning'),
  ageing: kw('ageing', 2),
  udpcsum: kw('udpcsum'),
  noudpcsum: kw('noudpcsum'),
} as const;

/** What `type vxlan …` gives: the library's options plus the underlying device by name. */
export interface VxlanCommandOptions extends Partial<VxlanOptions> {
  dev?: string;
}

/** `type vxlan id VNI [remote|group ADDR] [local ADDR] [dev DEV] [dstport P] [srcport L H] …` */
export function parseVxlanOptions(r: ArgReader): VxlanCommandOptions {
  const o: VxlanCommandOptions = {};
  while (!r.done) {
    const k = r.keyword(Object.values(VX));
    if (k === VX.id) o.vni = r.integer('id', ['vni', 'linkinfo.data.id'], 0, VNI_MAX);
    else if (k === VX.group) o.multicastGroup = r.value('group', ['multicastGroup', 'linkinfo.data.group', 'linkinfo.data.group6']);
    else if (k === VX.remote) o.remote = r.value('remote', ['remote', 'linkinfo.data.group', 'linkinfo.data.group6']);
    else if (k === VX.local) o.local = r.value('local', ['local', 'linkinfo.data.local', 'linkinfo.data.local6']);
    else if (k === VX.dev) o.dev = r.value('dev', ['dev', 'linkinfo.data.link']);
    else if (k === VX.dstport) o.dstport = r.integer('dstport', ['dstport', 'linkinfo.data.port'], 0, PORT_MAX);
    else if (k === VX.srcport) {
      const low = r.integer('srcport', ['srcPortRange', 'srcPortRange.low', 'linkinfo.data.portRange'], 0, PORT_MAX);
      const highText = r.next('the high end of srcport');
      const high = Number(highText);
      if (!/^[0-9]+$/.test(highText) || high > PORT_MAX) throw r.fail(`srcport ${low} ${highText}`, `must be two ports from 0 to ${PORT_MAX}`);
      r.tokens.note(['srcPortRange', 'srcPortRange.low', 'srcPortRange.high', 'linkinfo.data.portRange'], `srcport ${low} ${high}`);
      o.srcPortRange = { low, high };
    } else if (k === VX.ttl) {
      if (r.peek() === 'auto' || r.peek() === 'inherit') o.ttl = (r.value('ttl', ['ttl', 'linkinfo.data.ttl']), TTL_AUTO);
      else o.ttl = r.integer('ttl', ['ttl', 'linkinfo.data.ttl'], 0, U8_MAX);
    } else if (k === VX.tos) {
      if (r.peek() === 'inherit') o.tos = (r.value('tos', ['tos', 'linkinfo.data.tos']), TOS_INHERIT);
      else o.tos = r.integer('tos', ['tos', 'linkinfo.data.tos'], 0, U8_MAX);
    } else if (k === VX.learning || k === VX.nolearning) {
      o.learning = k === VX.learning;
      r.tokens.note(['learning', 'linkinfo.data.learning'], k.name);
    } else if (k === VX.ageing) o.ageing = r.integer('ageing', ['ageing', 'linkinfo.data.ageing'], 0, U32_MAX);
    else if (k === VX.udpcsum || k === VX.noudpcsum) {
      o.udpCsum = k === VX.udpcsum;
      r.tokens.note(['udpCsum', 'linkinfo.data.udpCsum'], k.name);
    } else throw r.unexpected('vxlan options: id, remote, group, local, dev, dstport, srcport, ttl, tos, [no]learning, ageing, [no]udpcsum');
  }
  if (o.vni === undefined) throw r.error('type vxlan: id VNI is required');
  return o;
}
