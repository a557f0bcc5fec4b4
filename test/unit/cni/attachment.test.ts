import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { attachmentChain, attachmentId, chainAttachmentId, hostVethName, networkTag, parseRuleComment, ruleComment } from '../../../src/cni/attachment.js';
import { checkComment } from '../../../src/nft/validate.js';
import { validateLinkName } from '../../../src/route/link-validate.js';
import { RUNS } from '../../helpers/arbitrary.js';

const ident = (first: string, rest: string) => fc.tuple(fc.constantFrom(...first), fc.string({ unit: fc.constantFrom(...rest), maxLength: 80 })).map(([a, b]) => a + b);
const alnum = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const key = fc.record({
  network: ident(alnum, `${alnum}_.-`),
  containerId: ident(alnum, `${alnum}_.-`),
  ifname: fc.string({ unit: fc.constantFrom(...`${alnum}-_`), minLength: 1, maxLength: 15 }),
});

describe('attachment identity', () => {
  it('is a stable 16-hex id per (network, container, interface), and distinct when any of them differs', () => {
    const k = { network: 'kubenet', containerId: '3f6940ab5ab4', ifname: 'eth0' };
    expect(attachmentId(k)).toMatch(/^[0-9a-f]{16}$/);
    expect(attachmentId(k)).toBe(attachmentId({ ...k }));
    expect(new Set([attachmentId(k), attachmentId({ ...k, ifname: 'net1' }), attachmentId({ ...k, network: 'other' }), attachmentId({ ...k, containerId: 'x' })]).size).toBe(4);
    // The separator keeps "ab"+"c" and "a"+"bc" apart.
    expect(attachmentId({ network: 'ab', containerId: 'c', ifname: 'e' })).not.toBe(attachmentId({ network: 'a', containerId: 'bc', ifname: 'e' }));
  });

  it('derives names the kernel and nf_tables accept, and comments that parse back', () => {
    fc.assert(
      fc.property(key, (k) => {
        const id = attachmentId(k);
        validateLinkName(hostVethName(id), 'hostVeth');
        expect(chainAttachmentId(attachmentChain(id))).toBe(id);
        const comment = ruleComment(k);
        checkComment(comment, 'comment');
        expect(parseRuleComment(comment)).toEqual({ id, network: networkTag(k.network) });
      }),
      { numRuns: RUNS },
    );
  });

  it('tags long network names by hash, and recognises only its own comments and chains', () => {
    expect(networkTag('kubenet')).toBe('kubenet');
    expect(networkTag('n'.repeat(65))).toMatch(/^#[0-9a-f]{16}$/);
    expect(parseRuleComment('netns-ts nat 0123456789abcdef')).toBeUndefined();
    expect(parseRuleComment(undefined)).toBeUndefined();
    expect(chainAttachmentId('prerouting')).toBeUndefined();
    expect(chainAttachmentId('cni-XYZ')).toBeUndefined();
    expect(hostVethName('0123456789abcdef')).toBe('veth0123456789a');
  });
});
