/**
 * `ip link add|set|delete|show` words → what to do, without touching the kernel (pure, unit
 * tested). Keywords and abbreviations as iproute2 6.1 takes them: `ip link add [name] NAME
 * [OPTIONS] type KIND [KIND OPTIONS]`, `ip link set [dev] DEV OPTIONS`, `ip link del [dev] DEV |
 * group N`, `ip link show [[dev] DEV] [up] [master DEV] [type KIND]`.
 */
import { ArgReader } from '../args.js';
import { kw } from '../keywords.js';
import type { TokenMap } from '../tokens.js';
import type { BridgeOptions, CommonLinkOptions, MacvlanOptions } from '../../route/link-options.js';
import type { LinkChanges } from '../../route/links.js';
import { LINK_KINDS, parseBridgeOptions, parseMacvlanOptions, parseVxlanOptions, type LinkKind, type VxlanCommandOptions } from './link-kinds.js';

const U32_MAX = 0xffffffff;
const MTU_MAX = 0x7fffffff;

/** Options of a link being created or changed, as typed (names, not indexes). */
export interface LinkOptionWords extends Omit<CommonLinkOptions, 'netns' | 'master'> {
  netns?: string | { pid: number };
  master?: string;
  broadcast?: string;
  /** `link DEV`: the lower device (macvlan). */
  link?: string;
}

export interface PeerWords extends Omit<LinkOptionWords, 'link' | 'master' | 'broadcast'> {
  name: string;
}

export type LinkCommand =
  | { verb: 'add'; name: string; kind: LinkKind; options: LinkOptionWords; peer?: PeerWords; bridge?: BridgeOptions; macvlan?: MacvlanOptions; vxlan?: VxlanCommandOptions }
  | { verb: 'set'; dev: string; changes: Omit<LinkChanges, 'master' | 'netns'> & { master?: string | null; netns?: string | { pid: number } } }
  | { verb: 'delete'; dev?: string; group?: number }
  | { verb: 'show'; dev?: string; up: boolean; master?: string; kind?: string };

const K = {
  up: kw('up'),
  down: kw('down'),
  name: kw('name'),
  dev: kw('dev'),
  mtu: kw('mtu'),
  txqueuelen: kw('txqueuelen', 1, ['txqlen', 'qlen']),
  address: kw('address', 1),
  broadcast: kw('broadcast', 2, ['brd']),
  master: kw('master', 1),
  nomaster: kw('nomaster', 3),
  alias: kw('alias', 2),
  group: kw('group'),
  netns: kw('netns'),
  link: kw('link', 1),
  type: kw('type', 2),
  peer: kw('peer'),
} as const;

/** What `ip` writes to mean the same field, by library field: for notes and errors. */
function fieldKeys(field: string, prefix: string, attribute: string): string[] {
  return prefix === '' ? [field, attribute] : [`${prefix}.${field}`, `linkinfo.data.peer.${attribute}`];
}

/**
 * One common link option at the cursor (mtu, address, txqueuelen, group, alias, up/down,
 * netns, master …) into `o`; false when the word is not one. `prefix` is `peer` inside a
 * veth's peer options.
 */
function commonOption(r: ArgReader, o: LinkOptionWords & { up?: boolean }, prefix: '' | 'peer', allowed: ReadonlySet<keyof typeof K>): boolean {
  const k = r.keyword([K.up, K.down, K.mtu, K.txqueuelen, K.address, K.broadcast, K.master, K.alias, K.group, K.netns, K.link].filter((x) => allowed.has(x.name as keyof typeof K)));
  if (!k) return false;
  const p = prefix === '' ? '' : 'peer ';
  switch (k) {
    case K.up:
    case K.down:
      o.up = k === K.up;
      r.tokens.note(fieldKeys('up', prefix, 'up'), `${p}${k.name}`);
      break;
    case K.mtu: o.mtu = r.integer(`${p}mtu`, fieldKeys('mtu', prefix, 'mtu'), 0, MTU_MAX); break;
    case K.txqueuelen: o.txqueuelen = r.integer(`${p}txqueuelen`, fieldKeys('txqueuelen', prefix, 'txqlen'), 0, U32_MAX); break;
    case K.address: o.address = r.value(`${p}address`, fieldKeys('address', prefix, 'address')); break;
    case K.broadcast: o.broadcast = r.value(`${p}broadcast`, fieldKeys('broadcast', prefix, 'broadcast')); break;
    case K.master: o.master = r.value('master', ['master']); break;
    case K.alias: o.alias = r.value(`${p}alias`, fieldKeys('alias', prefix, 'ifalias')); break;
    case K.group: o.group = r.integer(`${p}group`, fieldKeys('group', prefix, 'group'), 0, U32_MAX); break;
    case K.link: o.link = r.value('link', ['link']); break;
    case K.netns: {
      const v = r.value(`${p}netns`, [...fieldKeys('netns', prefix, 'netNsFd'), ...fieldKeys('netns', prefix, 'netNsPid')]);
      // As iproute2: a number is a process id (its namespace), anything else a namespace name.
      o.netns = /^[0-9]+$/.test(v) ? { pid: Number(v) } : v;
      break;
    }
  }
  return true;
}

const CREATE_OPTIONS = new Set<keyof typeof K>(['up', 'down', 'mtu', 'txqueuelen', 'address', 'broadcast', 'master', 'alias', 'group', 'netns', 'link']);
const PEER_OPTIONS = new Set<keyof typeof K>(['up', 'down', 'mtu', 'txqueuelen', 'address', 'alias', 'group', 'netns']);
const SET_OPTIONS = new Set<keyof typeof K>(['up', 'down', 'mtu', 'txqueuelen', 'address', 'broadcast', 'master', 'alias', 'group', 'netns']);

function parseAdd(r: ArgReader): LinkCommand {
  const options: LinkOptionWords = {};
  let name: string | undefined;
  let kind: LinkKind | undefined;
  const setName = (text: string, typed: string): void => {
    if (name !== undefined) throw r.fail(typed, `the link is already named ${name}`);
    name = text;
    r.tokens.note(['name', 'ifname'], typed);
    r.tokens.subject = typed;
  };
  while (!r.done && kind === undefined) {
    if (commonOption(r, options, '', CREATE_OPTIONS)) continue;
    // iproute2 also takes a bare `n` for name in `ip link add`.
    if (r.keyword([K.name, K.dev, kw('n')])) {
      const v = r.next('the link name');
      setName(v, v);
    } else if (r.keyword([K.type])) {
      const t = r.value('type', ['kind', 'linkinfo', 'linkinfo.kind']);
      if (!(LINK_KINDS as readonly string[]).includes(t)) throw r.fail(`type ${t}`, `creating links of this kind is not supported (supported: ${LINK_KINDS.join(', ')})`);
      kind = t as LinkKind;
    } else if (r.peek()!.startsWith('-') || name !== undefined) throw r.unexpected();
    else {
      const v = r.next();
      setName(v, v);
    }
  }
  if (name === undefined) throw r.error('a link name is required (ip link add NAME type KIND)');
  if (kind === undefined) throw r.error('type KIND is required (veth, bridge, macvlan, vxlan, ifb)');
  const cmd = { verb: 'add' as const, name, kind, options };
  switch (kind) {
    case 'veth': return { ...cmd, ...parsePeer(r) };
    case 'bridge': return { ...cmd, bridge: parseBridgeOptions(r) };
    case 'macvlan':
      if (options.link === undefined) throw r.error('type macvlan needs link DEV (the lower device)');
      return { ...cmd, macvlan: parseMacvlanOptions(r) };
    case 'vxlan': return { ...cmd, vxlan: parseVxlanOptions(r) };
    case 'ifb':
      if (!r.done) throw r.unexpected('ifb takes no options');
      return cmd;
  }
}

/** `peer [name] NAME [OPTIONS]`, or nothing (the kernel names the peer). */
function parsePeer(r: ArgReader): { peer?: PeerWords } {
  if (r.done) return {};
  if (!r.keyword([K.peer])) throw r.unexpected('veth options: peer [name] NAME …');
  const peer: Partial<PeerWords> = {};
  while (!r.done) {
    if (commonOption(r, peer, 'peer', PEER_OPTIONS)) continue;
    if (peer.name === undefined) {
      const typed = r.keyword([K.name, kw('n')]) ? `peer name ${r.peek() ?? ''}` : `peer ${r.peek() ?? ''}`;
      peer.name = r.next('the peer name');
      r.tokens.note(['peer.name', 'linkinfo.data.peer', 'linkinfo.data.peer.ifname'], typed);
    } else throw r.unexpected('peer options: name, mtu, address, txqueuelen, group, alias, netns, up');
  }
  if (peer.name === undefined) throw r.error('peer needs a name');
  return { peer: peer as PeerWords };
}

function parseSet(r: ArgReader): LinkCommand {
  const o: LinkOptionWords & { up?: boolean } = {};
  let dev: string | undefined;
  let rename: string | undefined;
  let nomaster = false;
  while (!r.done) {
    if (commonOption(r, o, '', SET_OPTIONS)) continue;
    if (r.keyword([K.nomaster])) {
      nomaster = true;
      r.tokens.note('master', 'nomaster');
    } else if (r.keyword([K.name])) rename = r.value('name', ['name', 'ifname']);
    else if (r.keyword([K.dev])) dev = devWord(r, dev, r.next('the device'));
    else if (dev === undefined && !r.peek()!.startsWith('-')) dev = devWord(r, dev, r.next());
    else throw r.unexpected('ip link set [dev] DEV { up | down | mtu N | address LLADDR | broadcast LLADDR | name NAME | alias TEXT | txqueuelen N | group N | master DEV | nomaster | netns NS }');
  }
  if (dev === undefined) throw r.error('which device? (ip link set [dev] DEV …)');
  const { link: _link, master, ...rest } = o;
  const changes: Extract<LinkCommand, { verb: 'set' }>['changes'] = { ...rest };
  if (master !== undefined) changes.master = master;
  if (nomaster) changes.master = null;
  if (rename !== undefined) changes.name = rename;
  if (Object.keys(changes).length === 0) throw r.error(`nothing to change on ${dev}`);
  return { verb: 'set', dev, changes };
}

function devWord(r: ArgReader, previous: string | undefined, dev: string): string {
  if (previous !== undefined) throw r.fail(dev, `the device is already ${previous}`);
  r.tokens.subject = dev;
  r.tokens.note(['link', 'dev'], dev);
  return dev;
}

function parseDelete(r: ArgReader): LinkCommand {
  let dev: string | undefined;
  let group: number | undefined;
  while (!r.done) {
    if (r.keyword([K.group])) group = r.integer('group', ['group'], 0, U32_MAX);
    else if (r.keyword([K.type])) r.value('type'); // ip accepts and ignores a type here
    else if (r.keyword([K.dev])) dev = devWord(r, dev, r.next('the device'));
    else if (dev === undefined) dev = devWord(r, dev, r.next());
    else throw r.unexpected();
  }
  if (dev !== undefined && group !== undefined) throw r.error('give either a device or group N, not both');
  if (dev === undefined && group === undefined) throw r.error('which device? (ip link del [dev] DEV | group N)');
  if (group !== undefined) r.tokens.subject = `group ${group}`;
  return dev !== undefined ? { verb: 'delete', dev } : { verb: 'delete', group: group! };
}

function parseShow(r: ArgReader): LinkCommand {
  const cmd: Extract<LinkCommand, { verb: 'show' }> = { verb: 'show', up: false };
  while (!r.done) {
    if (r.keyword([K.up])) cmd.up = true;
    else if (r.keyword([kw('master')])) cmd.master = r.value('master', ['master']);
    else if (r.keyword([kw('type')])) cmd.kind = r.value('type', ['kind']);
    else if (r.keyword([K.dev])) cmd.dev = devWord(r, cmd.dev, r.next('the device'));
    else if (cmd.dev === undefined && !['group', 'vrf', 'nomaster'].includes(r.peek()!)) cmd.dev = devWord(r, cmd.dev, r.next());
    else throw r.unexpected('show filters: [dev] DEV, up, master DEV, type KIND');
  }
  return cmd;
}

/** Parse `ip link VERB …` (verb already resolved). */
export function parseLinkCommand(verb: 'add' | 'set' | 'delete' | 'show', words: readonly string[], label = `ip link ${verb}`): { command: LinkCommand; tokens: TokenMap } {
  const r = new ArgReader(label, words);
  const command = verb === 'add' ? parseAdd(r) : verb === 'set' ? parseSet(r) : verb === 'delete' ? parseDelete(r) : parseShow(r);
  return { command, tokens: r.tokens };
}
