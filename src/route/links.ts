/**
 * Links, the way the tutorial talks about them: create a veth pair with its peer inside a
 * namespace, a bridge, macvlan, vxlan or ifb; set a link up, change its MTU, address, name,
 * master or namespace; set bridge port options; delete one link or a whole group; list them.
 *
 *   const links = new Links(connectInNetns('red'));
 *   await links.createVeth({ name: 'veth-red', peer: { name: 'veth-red-br', netns: 'blue' } });
 *   await links.set('veth-red', { up: true, master: 'v-net-0' });
 *
 * Every input is validated before anything is sent (ValidationError naming the field).
 * Kernel refusals are NetlinkError, with the offending attribute as a path when the kernel
 * names one (`linkinfo.data.peer.ifname`).
 */
import { closeSync } from 'node:fs';
import { connect } from '../netlink/connect.js';
import type { Connection, RequestOptions } from '../netlink/connection.js';
import { NetlinkError, NetnsError, ValidationError } from '../netlink/errors.js';
import { native } from '../native/binding.js';
import { withContext } from '../netns/system-error.js';
import { RtmType } from '../netlink/route/constants.js';
import { decodeLink, type Link } from '../netlink/route/link.js';
import { dumpLinkViews } from '../netlink/route/link-view.js';
import type { LinkInfoData } from '../netlink/route/link-info/linkinfo.js';
import { openNetns, resolveNetnsRef, type NetnsHandle, type NetnsRef } from '../netns/handle.js';
import {
  bridgeData, bridgePortData, BRIDGE_KEYS, COMMON_OPTION_KEYS, macvlanData, validateIpv4Settings, validateIpv6Settings, vxlanData, VXLAN_KEYS,
  type BridgeOptions, type BridgePortOptions, type CommonLinkOptions, type Ipv4Settings, type Ipv6Settings, type MacvlanOptions, type VxlanOptions,
} from './link-options.js';
import {
  altnameRequest, createLinkRequest, createVethRequest, deleteGroupRequest, deleteLinkRequest, dumpLinksRequest, getLinkRequest, setBridgePortRequest, setLinkRequest, toOutgoing,
  type LinkRequest, type LinkSettings, type LinkTarget,
} from './link-requests.js';
import { resolveIfindex } from './devices.js';
import { tunFlags, TUN_KEYS, type CreateTunOptions } from './tun-options.js';
import { rejectUnknownKeys, validateAlias, validateAltname, validateBoolean, validateLinkName, validateLinkRef, validateMac, validateMtu, validateU32, type LinkRef } from './link-validate.js';

export type { LinkRef } from './link-validate.js';
export type { CreateTunOptions } from './tun-options.js';
export type { BridgeOptions, BridgePortOptions, CommonLinkOptions, MacvlanOptions, VxlanOptions, Ipv4Settings, Ipv6Settings } from './link-options.js';

export interface CreateVethOptions extends CommonLinkOptions {
  name: string;
  /**
   * The other end. With `netns` it is created directly in that namespace. `up` brings it up
   * right after creation (a second request: the kernel refuses it in the creating one).
   */
  peer: { name: string; netns?: NetnsRef; mtu?: number; address?: string; up?: boolean; txqueuelen?: number; group?: number; alias?: string };
}
export interface CreateBridgeOptions extends CommonLinkOptions, BridgeOptions {
  name: string;
}
export interface CreateMacvlanOptions extends CommonLinkOptions, MacvlanOptions {
  name: string;
  /** The lower (parent) link. */
  link: LinkRef;
}
export interface CreateVxlanOptions extends CommonLinkOptions, VxlanOptions {
  name: string;
  /** Underlying device for multicast and the local address. */
  dev?: LinkRef;
}
export interface CreateIfbOptions extends CommonLinkOptions {
  name: string;
}
/** Any kind, with raw IFLA_INFO_DATA: the escape hatch for kinds without a helper. */
export interface CreateLinkOptions extends CommonLinkOptions {
  name: string;
  kind: string;
  data?: LinkInfoData;
}

/** Changes `set` applies in one request. */
export interface LinkChanges {
  up?: boolean;
  mtu?: number;
  address?: string;
  broadcast?: string;
  /** Rename the link. */
  name?: string;
  /** Empty string clears the alias. */
  alias?: string;
  /** Make the link a port of this bridge; `null` detaches it (nomaster). */
  master?: LinkRef | null;
  /** Move the link to another namespace. */
  netns?: NetnsRef;
  txqueuelen?: number;
  group?: number;
  ipv4?: Ipv4Settings;
  ipv6?: Ipv6Settings;
}
const CHANGE_KEYS = ['up', 'mtu', 'address', 'broadcast', 'name', 'alias', 'master', 'netns', 'txqueuelen', 'group', 'ipv4', 'ipv6'] as const;

export interface ListLinksFilter {
  /** Only ports of this master. */
  master?: LinkRef;
  /** Only links of this kind (`veth`, `bridge` …). */
  kind?: string;
}

const PEER_KEYS = ['name', 'netns', 'mtu', 'address', 'up', 'txqueuelen', 'group', 'alias'] as const;
/** "No owner" for TUNSETOWNER / TUNSETGROUP (the binding skips the ioctl). */
const NO_ID = -1;
/** Group 0 is the default group of every link: deleting it would delete them all. */
const DEFAULT_GROUP = 0;

export class Links {
  constructor(
    readonly connection: Connection,
    private readonly options: RequestOptions = {},
  ) {}

  /** All links, decoded; filters run in the kernel (and are re-checked here). */
  async list(filter: ListLinksFilter = {}): Promise<Link[]> {
    rejectUnknownKeys(filter, ['master', 'kind'], 'filter');
    if (filter.master !== undefined) validateLinkRef(filter.master, 'filter.master');
    if (filter.kind !== undefined && (typeof filter.kind !== 'string' || filter.kind === '')) throw new ValidationError('filter.kind', 'must be a link kind name', filter.kind);
    const master = filter.master === undefined ? undefined : await this.index(filter.master);
    const links = await dumpLinkViews(this.connection, toOutgoing(dumpLinksRequest({ master, kind: filter.kind })), this.options);
    // Older kernels (and unknown kinds) ignore a filter rather than refuse it.
    if (master === undefined && filter.kind === undefined) return links;
    return links.filter((l) => (master === undefined || l.master === master) && (filter.kind === undefined || l.kind === filter.kind));
  }

  /** One link by name or index; undefined if there is none (ENODEV). */
  async get(ref: LinkRef): Promise<Link | undefined> {
    validateLinkRef(ref, 'link');
    try {
      const replies = await this.connection.request(toOutgoing(getLinkRequest(target(ref))), this.options);
      const m = replies.find((r) => r.type === RtmType.RTM_NEWLINK);
      return m ? decodeLink(m) : undefined;
    } catch (err) {
      if (err instanceof NetlinkError && err.code === 'ENODEV') return undefined;
      throw err;
    }
  }

  /** The interface index of a link; NetlinkError ENODEV if there is none. */
  async index(ref: LinkRef): Promise<number> {
    validateLinkRef(ref, 'link');
    if (typeof ref === 'number') return ref;
    // Only the reply's ifinfomsg is read: a full link decode per lookup cost more than the lookup.
    return resolveIfindex(this.connection, ref, 'link', this.options);
  }

  /** A veth pair, the peer created directly in `peer.netns` (same request: no move later). */
  async createVeth(options: CreateVethOptions): Promise<void> {
    checkCommon(options, ['peer'], true);
    const peer = options.peer;
    if (peer === null || typeof peer !== 'object') throw new ValidationError('peer', 'must be an object with the peer name', peer);
    rejectUnknownKeys(peer, PEER_KEYS, 'peer');
    validateLinkName(peer.name, 'peer.name');
    checkSettings(peer, 'peer.', true);
    await this.withNetns([options.netns, peer.netns], async ([fd, peerFd]) => {
      const settings = await this.settings(options, fd);
      const { up: peerUp, ...rest } = peer;
      await this.send(createVethRequest(options.name, settings, peer.name, plainSettings(rest, peerFd)));
      if (peerUp !== undefined) await this.vethPeerUp(peer.name, peerUp, peerFd);
    });
  }

  /**
   * Kernel quirk (drivers/net/veth.c, veth_newlink): the peer is configured before the pair is
   * linked, so IFF_UP in the peer's ifinfomsg fails the whole creation with ENOTCONN. The peer
   * is therefore brought up by a second request, in its namespace.
   */
  private async vethPeerUp(name: string, up: boolean, netnsFd: number | undefined): Promise<void> {
    const request = toOutgoing(setLinkRequest({ name }, { up }));
    if (netnsFd === undefined) {
      await this.connection.request(request, this.options);
      return;
    }
    const inPeerNetns = connect({ netnsFd });
    try {
      await inPeerNetns.request(request, this.options);
    } finally {
      inPeerNetns.close();
    }
  }

  /** A bridge (`ip link add NAME type bridge …`), with STP, timers, VLAN filtering … */
  async createBridge(options: CreateBridgeOptions): Promise<void> {
    checkCommon(options, BRIDGE_KEYS, true);
    const data = bridgeData(options);
    await this.createKind(options, 'bridge', data);
  }

  /** A macvlan on top of `link` (`ip link add NAME link LOWER type macvlan mode MODE`). */
  async createMacvlan(options: CreateMacvlanOptions): Promise<void> {
    checkCommon(options, ['link', 'mode'], true);
    validateLinkRef(options.link, 'link');
    const data = macvlanData(options);
    const lower = await this.index(options.link);
    await this.createKind(options, 'macvlan', data, lower);
  }

  /** A VXLAN (`ip link add NAME type vxlan id VNI …`). */
  async createVxlan(options: CreateVxlanOptions): Promise<void> {
    checkCommon(options, VXLAN_KEYS, true);
    if (options.dev !== undefined) validateLinkRef(options.dev, 'dev');
    vxlanData(options, undefined);
    const dev = options.dev === undefined ? undefined : await this.index(options.dev);
    await this.createKind(options, 'vxlan', vxlanData(options, dev));
  }

  /** An ifb (Intermediate Functional Block) link. */
  async createIfb(options: CreateIfbOptions): Promise<void> {
    checkCommon(options, [], false);
    await this.createKind(options, 'ifb', undefined);
  }

  /**
   * A tun or tap device (`ip tuntap add NAME mode tun|tap …`), persistent. The kernel makes these
   * with an ioctl on /dev/net/tun, not over rtnetlink, so the binding creates it (native/tun.c) in
   * `netns`, else in this connection's namespace; the common options (up, mtu, master …) are then
   * set by one request there. If that request fails the device is deleted again: a failed call
   * leaves nothing. Delete it like any link.
   */
  async createTun(options: CreateTunOptions): Promise<void> {
    checkCommon(options, TUN_KEYS, true);
    const flags = tunFlags(options);
    const { name, mtu, address, txqueuelen, group, alias, up } = options;
    await this.withNetns([options.netns], async ([fd]) => {
      const there = fd === undefined ? this : new Links(connect({ netnsFd: fd }), this.options);
      const connectionNetns = fd === undefined ? this.connectionNamespaceFd() : undefined;
      try {
        // Looked up first, so a missing master fails before anything exists.
        const master = options.master === undefined ? undefined : await there.index(options.master);
        try {
          native.tunCreate(fd ?? connectionNetns!, name, flags, options.owner ?? NO_ID, options.ownerGroup ?? NO_ID);
        } catch (err) {
          throw tunError(err, name, options.mode);
        }
        const changes: LinkChanges = Object.fromEntries(Object.entries({ mtu, address, txqueuelen, group, alias, up, master }).filter(([, v]) => v !== undefined));
        if (Object.keys(changes).length === 0) return;
        try {
          await there.set(name, changes);
        } catch (err) {
          await there.delete(name).catch(() => undefined);
          throw err;
        }
      } finally {
        if (there !== this) there.connection.close();
        if (connectionNetns !== undefined) closeSync(connectionNetns);
      }
    });
  }

  /** A new fd of the namespace this connection's socket lives in (the caller closes it). */
  private connectionNamespaceFd(): number {
    const transport = this.connection.transport;
    if (!transport.namespaceFd) throw new NetnsError('this connection has no kernel socket to take a namespace from: give netns');
    return transport.namespaceFd();
  }

  /** Create a link of any kind with raw IFLA_INFO_DATA. */
  async createLink(options: CreateLinkOptions): Promise<void> {
    checkCommon(options, ['kind', 'data'], false);
    if (typeof options.kind !== 'string' || options.kind === '') throw new ValidationError('kind', 'must be a link kind name', options.kind);
    await this.createKind(options, options.kind, options.data);
  }

  /** Apply changes to one link in a single request. */
  async set(ref: LinkRef, changes: LinkChanges): Promise<void> {
    validateLinkRef(ref, 'link');
    rejectUnknownKeys(changes, CHANGE_KEYS, '');
    checkSettings(changes, '', false);
    if (changes.name !== undefined) validateLinkName(changes.name, 'name');
    if (changes.master !== undefined && changes.master !== null) validateLinkRef(changes.master, 'master');
    if (changes.broadcast !== undefined) validateMac(changes.broadcast, 'broadcast');
    if (changes.ipv4 !== undefined) validateIpv4Settings(changes.ipv4);
    if (changes.ipv6 !== undefined) validateIpv6Settings(changes.ipv6);
    if (!hasDefinedValue(changes)) throw new ValidationError('changes', 'nothing to change');
    // Renaming needs the index: the name attribute then carries the new name.
    const tgt = changes.name !== undefined ? { index: await this.index(ref) } : target(ref);
    // (Most changes move nothing: no namespace to open, one async step less per request.)
    if (changes.netns === undefined) return this.applyChanges(tgt, changes, undefined);
    await this.withNetns([changes.netns], ([fd]) => this.applyChanges(tgt, changes, fd));
  }

  /** The RTM_NEWLINK of `set`, its master resolved; `netnsFd` is where the link moves to. */
  private async applyChanges(tgt: LinkTarget, changes: LinkChanges, netnsFd: number | undefined): Promise<void> {
    const settings = plainSettings(changes, netnsFd);
    if (changes.master === null) settings.master = 0;
    else if (changes.master !== undefined) settings.master = await this.index(changes.master);
    if (changes.broadcast !== undefined) settings.broadcast = changes.broadcast;
    if (changes.ipv4 !== undefined) settings.ipv4 = changes.ipv4;
    if (changes.ipv6 !== undefined) settings.ipv6 = changes.ipv6;
    await this.send(setLinkRequest(tgt, settings, changes.name));
  }

  /** Bridge port options of a link enslaved to a bridge (hairpin, learning, flood, isolated …). */
  async setBridgePort(ref: LinkRef, options: BridgePortOptions): Promise<void> {
    validateLinkRef(ref, 'link');
    const data = bridgePortData(options);
    await this.send(setBridgePortRequest(target(ref), data));
  }

  /** Give a link alternative names (`ip link property add dev X altname NAME`), up to 127 bytes each. */
  async addAltnames(ref: LinkRef, ...altnames: string[]): Promise<void> {
    validateLinkRef(ref, 'link');
    checkAltnames(altnames);
    await this.send(altnameRequest(target(ref), altnames, true));
  }

  /** Remove alternative names (`ip link property del dev X altname NAME`). */
  async deleteAltnames(ref: LinkRef, ...altnames: string[]): Promise<void> {
    validateLinkRef(ref, 'link');
    checkAltnames(altnames);
    await this.send(altnameRequest(target(ref), altnames, false));
  }

  /** Delete one link (a veth takes its peer with it). */
  async delete(ref: LinkRef): Promise<void> {
    validateLinkRef(ref, 'link');
    await this.send(deleteLinkRequest(target(ref)));
  }

  /**
   * Delete every link of a group in one request: the kernel pays its grace period once, not
   * per link. Group 0 (where every link starts) is refused.
   */
  async deleteGroup(group: number): Promise<void> {
    validateU32(group, 'group');
    if (group === DEFAULT_GROUP) throw new ValidationError('group', 'group 0 is the default group of every link; refusing to delete them all', group);
    await this.send(deleteGroupRequest(group));
  }

  /** Send a prepared request and wait for the kernel's ack. */
  async send(request: LinkRequest): Promise<void> {
    await this.connection.request(toOutgoing(request), this.options);
  }

  private async createKind(options: CommonLinkOptions & { name: string }, kind: string, data: LinkInfoData | undefined, lower?: number): Promise<void> {
    await this.withNetns([options.netns], async ([fd]) => {
      const settings = await this.settings(options, fd);
      if (lower !== undefined) settings.link = lower;
      await this.send(createLinkRequest(options.name, kind, data, settings));
    });
  }

  /** Resolve the common options (master name → index). */
  private async settings(o: CommonLinkOptions, netnsFd: number | undefined): Promise<LinkSettings> {
    const s = plainSettings(o, netnsFd);
    if (o.master !== undefined) s.master = await this.index(o.master);
    return s;
  }

  /** Open namespaces for the duration of one request; the fds are closed afterwards. */
  private async withNetns<T>(refs: ReadonlyArray<NetnsRef | undefined>, run: (fds: Array<number | undefined>) => Promise<T>): Promise<T> {
    const handles: Array<NetnsHandle | undefined> = [];
    try {
      for (const ref of refs) handles.push(ref === undefined ? undefined : openNetns(ref));
      return await run(handles.map((h) => h?.fd));
    } finally {
      for (const h of handles) h?.close();
    }
  }
}

function checkAltnames(altnames: string[]): void {
  if (altnames.length === 0) throw new ValidationError('altnames', 'give at least one alternative name');
  altnames.forEach((name, i) => validateAltname(name, `altnames[${i}]`));
}

/** The options that need no lookup (everything but `master`), of a link or of a veth's peer. */
function plainSettings(o: Pick<CommonLinkOptions, 'mtu' | 'address' | 'txqueuelen' | 'group' | 'alias' | 'up'>, netnsFd: number | undefined): LinkSettings {
  const s: LinkSettings = {};
  if (o.mtu !== undefined) s.mtu = o.mtu;
  if (o.address !== undefined) s.address = o.address;
  if (o.txqueuelen !== undefined) s.txqueuelen = o.txqueuelen;
  if (o.group !== undefined) s.group = o.group;
  if (o.alias !== undefined) s.alias = o.alias;
  if (o.up !== undefined) s.up = o.up;
  if (netnsFd !== undefined) s.netnsFd = netnsFd;
  return s;
}

function hasDefinedValue(o: object): boolean {
  for (const key in o) if ((o as Record<string, unknown>)[key] !== undefined) return true;
  return false;
}

function target(ref: LinkRef): LinkTarget {
  return typeof ref === 'number' ? { index: ref } : { name: ref };
}

/** The binding's TUNSETIFF failure, said in `ip tuntap` terms. */
function tunError(err: unknown, name: string, mode: string): unknown {
  // IFF_TUN_EXCL: the kernel answers EBUSY when the name is taken, by any kind of link.
  if ((err as { code?: string }).code === 'EBUSY') return withContext(err, `tuntap add ${name} mode ${mode}: a link named ${name} already exists`);
  return withContext(err, `tuntap add ${name} mode ${mode}`);
}

/** Validate the options shared by every creation: name plus common settings. */
function checkCommon(options: CommonLinkOptions & { name: string }, extraKeys: readonly string[], ethernet: boolean): void {
  rejectUnknownKeys(options, [...COMMON_OPTION_KEYS, ...extraKeys], '');
  validateLinkName(options.name, 'name');
  checkSettings(options, '', ethernet);
  if (options.master !== undefined) validateLinkRef(options.master, 'master');
}

function checkSettings(o: { mtu?: unknown; address?: unknown; txqueuelen?: unknown; group?: unknown; alias?: unknown; up?: unknown; netns?: NetnsRef }, prefix: string, ethernet: boolean): void {
  if (o.netns !== undefined) resolveNetnsRef(o.netns);
  if (o.mtu !== undefined) validateMtu(o.mtu, `${prefix}mtu`);
  if (o.address !== undefined) validateMac(o.address, `${prefix}address`, { ethernet });
  if (o.txqueuelen !== undefined) validateU32(o.txqueuelen, `${prefix}txqueuelen`);
  if (o.group !== undefined) validateU32(o.group, `${prefix}group`);
  if (o.alias !== undefined) validateAlias(o.alias, `${prefix}alias`);
  if (o.up !== undefined) validateBoolean(o.up, `${prefix}up`);
}

/** Links over a connection (`linksOf(conn).list()`). */
export function linksOf(connection: Connection, options: RequestOptions = {}): Links {
  return new Links(connection, options);
}
