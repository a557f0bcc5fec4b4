/**
 * The TUNSETIFF flags of createTun's options, against the values of <linux/if_tun.h>, and the
 * checks that run before the binding is called (no kernel needed).
 */
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../src/netlink/errors.js';
import { tunFlags } from '../../../src/route/tun-options.js';

// <linux/if_tun.h>
const IFF_TUN = 0x0001;
const IFF_TAP = 0x0002;
const IFF_MULTI_QUEUE = 0x0100;
const IFF_NO_PI = 0x1000;
const IFF_VNET_HDR = 0x4000;
const IFF_TUN_EXCL = 0x8000;

describe('tunFlags', () => {
  it('creates exclusively, without packet info by default, as ip tuntap add does', () => {
    expect(tunFlags({ name: 't', mode: 'tun' })).toBe(IFF_TUN | IFF_NO_PI | IFF_TUN_EXCL);
    expect(tunFlags({ name: 't', mode: 'tap' })).toBe(IFF_TAP | IFF_NO_PI | IFF_TUN_EXCL);
  });

  it('adds packet info, vnet header and multi-queue when asked', () => {
    expect(tunFlags({ name: 't', mode: 'tap', packetInfo: true, vnetHdr: true, multiQueue: true })).toBe(IFF_TAP | IFF_VNET_HDR | IFF_MULTI_QUEUE | IFF_TUN_EXCL);
    expect(tunFlags({ name: 't', mode: 'tun', packetInfo: false, vnetHdr: false, multiQueue: false })).toBe(IFF_TUN | IFF_NO_PI | IFF_TUN_EXCL);
  });

  it('names the field at fault', () => {
    const fieldOf = (options: unknown): string => {
      try {
        tunFlags(options as never);
      } catch (err) {
        if (err instanceof ValidationError) return err.field;
        throw err;
      }
      throw new Error('accepted');
    };
    expect(fieldOf({ name: 't' })).toBe('mode');
    expect(fieldOf({ name: 't', mode: 'TAP' })).toBe('mode');
    expect(fieldOf({ name: 't', mode: 'tap', owner: 1.5 })).toBe('owner');
    expect(fieldOf({ name: 't', mode: 'tap', owner: 0xffffffff })).toBe('owner');
    expect(fieldOf({ name: 't', mode: 'tap', ownerGroup: -1 })).toBe('ownerGroup');
    expect(fieldOf({ name: 't', mode: 'tap', vnetHdr: 1 })).toBe('vnetHdr');
    expect(fieldOf({ name: 't', mode: 'tun', address: '02:00:00:00:00:01' })).toBe('address');
  });
});
