import { describe, expect, it } from 'vitest';
import { CommandFailure, explain } from '../../../src/cli/failure.js';
import { parseLinkCommand } from '../../../src/cli/ip/link-parse.js';
import { TokenMap } from '../../../src/cli/tokens.js';
import { NetlinkError, ValidationError } from '../../../src/netlink/errors.js';

const request = { type: 16, typeName: 'RTM_NEWLINK', flags: 0x605, seq: 1 };

function kernelError(init: Partial<ConstructorParameters<typeof NetlinkError>[0]>): NetlinkError {
  return new NetlinkError({ errno: 22, code: 'EINVAL', description: 'Invalid argument', request, ...init });
}

describe('a failure names the command, the words at fault and the reason, on one line', () => {
  const { tokens } = parseLinkCommand('add', 'veth0 mtu 10 type veth peer name veth1 netns blue'.split(' '));

  it('kernel extack with an attribute path maps back to the words that set it', () => {
    const e = explain('ip link add', tokens, kernelError({ extack: 'MTU must be between 68 and 65535', attribute: 'mtu' })) as CommandFailure;
    expect(e).toBeInstanceOf(CommandFailure);
    expect(e.message).toBe('ip link add: mtu 10: MTU must be between 68 and 65535 (kernel: EINVAL)');
  });

  it('a nested attribute falls back to its closest noted parent: the peer', () => {
    const e = explain('ip link add', tokens, kernelError({ errno: 34, code: 'ERANGE', extack: 'Attribute failed policy validation', attribute: 'linkinfo.data.peer.ifname', expected: 'a string of at most 15 bytes' }));
    expect((e as Error).message).toBe('ip link add: peer name veth1: Attribute failed policy validation, expected a string of at most 15 bytes (kernel: ERANGE)');
  });

  it('no attribute: the words the message mentions, else the subject', () => {
    expect((explain('ip link add', tokens, kernelError({ extack: 'mtu less than device minimum' })) as Error).message).toBe('ip link add: mtu 10: mtu less than device minimum (kernel: EINVAL)');
    expect((explain('ip link add', tokens, kernelError({ errno: 17, code: 'EEXIST' })) as Error).message).toBe('ip link add: veth0: file already exists (kernel: EEXIST)');
  });

  it('validation errors name the words of their field', () => {
    expect((explain('ip link add', tokens, new ValidationError('peer.netns', 'name must not contain "/"', 'a/b')) as Error).message).toBe('ip link add: peer netns blue: name must not contain "/"');
    expect((explain('ip link add', tokens, new ValidationError('name', 'must not be empty', '')) as Error).message).toBe('ip link add: veth0: must not be empty');
  });

  it('bugs pass through unchanged', () => {
    const bug = new TypeError('x is undefined');
    expect(explain('ip link add', new TokenMap(), bug)).toBe(bug);
  });
});
