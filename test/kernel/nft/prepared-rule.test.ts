/**
 * Prepared rules in the real kernel: rules added from a prepared rule are the rules built as
 * objects (nft lists the same ruleset, text and JSON), also when the replies are lost and the
 * ruleset must be re-read to settle the batch; and a prepared rule the kernel refuses is named
 * with its attribute, as any rule is.
 */
import { expect, it } from 'vitest';
import { dnatTo, matchPort, matchProtocol } from '../../../src/api/nat/matches.js';
import { parseIp } from '../../../src/netlink/addresses.js';
import { NftBatchError } from '../../../src/nft/batch-errors.js';
import { addChain } from '../../../src/nft/chain-commands.js';
import type { NftCommand } from '../../../src/nft/command.js';
import { prepareRule } from '../../../src/nft/prepared-rule.js';
import { addRule } from '../../../src/nft/rule-commands.js';
import { addTable } from '../../../src/nft/table-commands.js';
import { describeKernel, guardThreadNetns } from '../sandbox.js';
import { nft, nftJson, nftScratch } from './nft-sandbox.js';

const T = 60_000;
const RULES = 500;

const address = (i: number) => `10.201.${i >> 8}.${i & 255}`;

function natTable(): NftCommand[] {
  return [
    addTable({ family: 'ip', name: 'nat' }),
    addChain({ family: 'ip', table: 'nat', name: 'pre', type: 'nat', hook: 'prerouting', priority: 'dstnat' }),
  ];
}

function asObjects(n: number): NftCommand[] {
  return Array.from({ length: n }, (_, i) =>
    addRule({ family: 'ip', table: 'nat', chain: 'pre', expressions: [...matchProtocol('tcp'), ...matchPort('dport', [1024 + i, 1024 + i]), ...dnatTo(4, parseIp(address(i)).bytes, [8080, 8080])] }),
  );
}

function prepared(n: number): NftCommand[] {
  const forward = prepareRule({ family: 'ip', table: 'nat', chain: 'pre' }, { port: 'port', to: 'ipv4' }, (s) => [
    ...matchProtocol('tcp'),
    ...matchPort('dport', [s.port, s.port]),
    ...dnatTo(4, s.to, [8080, 8080]),
  ]);
  return Array.from({ length: n }, (_, i) => forward.add({ port: 1024 + i, to: address(i) }));
}

describeKernel('prepared rules', () => {
  guardThreadNetns();
  const scratch = nftScratch();

  it(`${RULES} port forwards from a prepared rule: nft lists what it lists for the same rules built as objects`, async () => {
    const [a, b] = [scratch.netns(), scratch.netns()];
    const ca = scratch.client(a);
    const cb = scratch.client(b);
    expect((await ca.apply([...natTable(), ...prepared(RULES)])).status).toBe('committed');
    expect((await cb.apply([...natTable(), ...asObjects(RULES)])).status).toBe('committed');
    const listing = nft(a, 'list', 'ruleset');
    expect(listing).toBe(nft(b, 'list', 'ruleset'));
    expect(listing).toContain('tcp dport 1024 dnat to 10.201.0.0:8080');
    expect(listing).toContain(`tcp dport ${1024 + RULES - 1} dnat to ${address(RULES - 1)}:8080`);
    expect(nftJson(a)).toEqual(nftJson(b));
  }, T);

  it('replies lost (a receive buffer too small for every ack): the ruleset, re-read, shows them committed', async () => {
    const ns = scratch.netns();
    const c = scratch.client(ns, { receiveBuffer: 16 * 1024, sendBuffer: 4 * 1024 * 1024 });
    const result = await c.apply([...natTable(), ...prepared(2000)], { ack: 'each', autosizeBuffers: false });
    expect(result.status).toBe('committed-after-verification');
    expect(nft(ns, 'list', 'chain', 'ip', 'nat', 'pre').split('\n').filter((l) => l.includes('dnat to')).length).toBe(2000);
  }, T);

  it('a prepared rule the kernel refuses is named, with the attribute its extack points at', async () => {
    const ns = scratch.netns();
    const c = scratch.client(ns);
    const before = nftJson(ns);
    // The chain does not exist: the kernel points at NFTA_RULE_CHAIN.
    const commands = [addTable({ family: 'ip', name: 'nat' }), ...prepared(3)];
    const err = await c.apply(commands).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NftBatchError);
    const failure = (err as NftBatchError).firstFailure!;
    expect(failure.index).toBe(1);
    expect(failure.description).toBe('add rule ip nat pre');
    expect(failure.error.code).toBe('ENOENT');
    expect(failure.error.attribute).toBe('chain');
    expect(nftJson(ns)).toEqual(before);
  }, T);
});
