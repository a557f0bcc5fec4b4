/**
 * Options of a tun/tap device (`ip tuntap add NAME mode tun|tap [user U] [group G] [pi]
 * [vnet_hdr] [multi_queue]`) and the TUNSETIFF flags they make (<linux/if_tun.h>). The device
 * itself is made by the native binding (native/tun.c): the kernel has no rtnetlink message
 * that creates one.
 */
import { ValidationError } from '../netlink/errors.js';
import type { CommonLinkOptions } from './link-options.js';
import { validateBoolean, validateInteger } from './link-validate.js';

export interface CreateTunOptions extends CommonLinkOptions {
  name: string;
  /** `tun`: an IP device (no link-layer header); `tap`: an Ethernet device. */
  mode: 'tun' | 'tap';
  /** The uid allowed to attach to the device (TUNSETOWNER; `ip tuntap … user`). */
  owner?: number;
  /** The gid allowed to attach (TUNSETGROUP; `ip tuntap … group`). `group` is the link group, as for every link. */
  ownerGroup?: number;
  /** Prefix packets with struct tun_pi (default false: IFF_NO_PI, as `ip tuntap` does). */
  packetInfo?: boolean;
  /** Prefix packets with struct virtio_net_hdr (IFF_VNET_HDR). */
  vnetHdr?: boolean;
  /** Several queues, each its own fd (IFF_MULTI_QUEUE). */
  multiQueue?: boolean;
}

export const TUN_KEYS = ['mode', 'owner', 'ownerGroup', 'packetInfo', 'vnetHdr', 'multiQueue'] as const;

/** TUNSETIFF flags (<linux/if_tun.h>). */
export const TunFlag = {
  IFF_TUN: 0x0001,
  IFF_TAP: 0x0002,
  IFF_MULTI_QUEUE: 0x0100,
  IFF_NO_PI: 0x1000,
  IFF_VNET_HDR: 0x4000,
  /** Fail (EBUSY) if the name is taken, instead of attaching to an existing device. */
  IFF_TUN_EXCL: 0x8000,
} as const;

/** Owner ids the kernel takes: a uid/gid, not (uid_t)-1, which means "none". */
const ID_MAX = 0xfffffffe;

/** The TUNSETIFF flags of `options`, checked; throws ValidationError naming the field. */
export function tunFlags(options: CreateTunOptions): number {
  if (options.mode !== 'tun' && options.mode !== 'tap') throw new ValidationError('mode', "must be 'tun' or 'tap'", options.mode);
  if (options.owner !== undefined) validateInteger(options.owner, 'owner', 0, ID_MAX);
  if (options.ownerGroup !== undefined) validateInteger(options.ownerGroup, 'ownerGroup', 0, ID_MAX);
  for (const key of ['packetInfo', 'vnetHdr', 'multiQueue'] as const) if (options[key] !== undefined) validateBoolean(options[key], key);
  if (options.mode === 'tun' && options.address !== undefined) {
    throw new ValidationError('address', "a tun device has no link-layer address (mode 'tap' has one)", options.address);
  }
  // Create, never attach: without IFF_TUN_EXCL, TUNSETIFF may attach to an existing device of
  // that name and report success. `ip tuntap add` sets it too.
  let flags = (options.mode === 'tun' ? TunFlag.IFF_TUN : TunFlag.IFF_TAP) | TunFlag.IFF_TUN_EXCL;
  if (!options.packetInfo) flags |= TunFlag.IFF_NO_PI;
  if (options.vnetHdr) flags |= TunFlag.IFF_VNET_HDR;
  if (options.multiQueue) flags |= TunFlag.IFF_MULTI_QUEUE;
  return flags;
}
