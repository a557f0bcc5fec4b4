/**
 * `netns-ts iptables`: the tutorial's commands become the nf_tables rules nft would make for
 * the same thing (in iptables-nft's table and chains), and the broken forms of the tutorial get
 * an error that names the option at fault — before anything is sent.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { runIptables } from '../../../src/cli/iptables/index.js';
import { ParseError } from '../../../src/nft/parse/errors.js';
import { describeExpression } from '../../../src/nft/expressions/index.js';
import { fakeContext, type FakeContext } from './fake-context.js';

let ctx: FakeContext;
afterEach(() => ctx?.close());

async function refused(args: string[]): Promise<ParseError> {
  ctx = fakeContext();
  const err = await runIptables(args, ctx).then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(ParseError);
  // Nothing was sent: no batch, and no read either (the command line is checked first).
  expect(ctx.nft.kernel.sent).toHaveLength(0);
  return err as ParseError;
}

const under = (e: ParseError): string => e.sourceLine.slice(e.caretLine.indexOf('^'), e.caretLine.lastIndexOf('^') + 1);

describe('iptables -t nat: compiling', () => {
  it('the tutorial\'s MASQUERADE: table ip nat, chain POSTROUTING (srcnat), ip saddr 192.168.15.0/24 counter masquerade', async () => {
    ctx = fakeContext();
    await runIptables(['-t', 'nat', '-A', 'POSTROUTING', '-s', '192.168.15.0/24', '-j', 'MASQUERADE'], ctx);
    expect(ctx.nft.state.tables.map((t) => `${t.family} ${t.name}`)).toEqual(['ip nat']);
    expect(ctx.nft.state.chains.map((c) => c.name)).toEqual(['POSTROUTING']);
    const [rule] = ctx.nft.state.rules;
    expect(rule!.expressions.map((e) => describeExpression(e as never))).toEqual([
      '[ payload load 3b @ network header + 12 => reg 1 ]',
      '[ cmp eq reg 1 0x000fa8c0 ]',
      '[ counter pkts 0 bytes 0 ]',
      '[ masq ]',
    ]);
  });

  it('the tutorial\'s DNAT (written correctly): meta l4proto tcp, tcp dport 80, dnat to 192.168.15.2:80', async () => {
    ctx = fakeContext();
    await runIptables(['-t', 'nat', '-A', 'PREROUTING', '-p', 'tcp', '--dport', '80', '-j', 'DNAT', '--to-destination', '192.168.15.2:80'], ctx);
    expect(ctx.nft.state.rules[0]!.expressions.map((e) => describeExpression(e as never))).toEqual([
      '[ meta load l4proto => reg 1 ]',
      '[ cmp eq reg 1 0x00000006 ]',
      '[ payload load 2b @ transport header + 2 => reg 1 ]',
      '[ cmp eq reg 1 0x00005000 ]',
      '[ counter pkts 0 bytes 0 ]',
      '[ immediate reg 1 0x020fa8c0 ]',
      '[ immediate reg 2 0x00005000 ]',
      '[ nat dnat ip addr_min reg 1 proto_min reg 2 flags 0x2 ]',
    ]);
  });

  it('creates the chain once, in one batch with the first rule', async () => {
    ctx = fakeContext();
    await runIptables(['-t', 'nat', '-A', 'POSTROUTING', '-j', 'MASQUERADE'], ctx);
    await runIptables(['-t', 'nat', '-A', 'POSTROUTING', '-o', 'eth0', '-j', 'MASQUERADE', '--random'], ctx);
    expect(ctx.batches()).toBe(2);
    expect(ctx.nft.state.chains).toHaveLength(1);
    expect(ctx.nft.state.rules).toHaveLength(2);
  });
});

describe('iptables -t nat: broken forms are refused, naming the option', () => {
  it('the tutorial\'s `-A PREROUTING --dport 80 --to-destination 192.168.15.2:80 -j DNAT` lacks -p tcp', async () => {
    const e = await refused(['-t', 'nat', '-A', 'PREROUTING', '--dport', '80', '--to-destination', '192.168.15.2:80', '-j', 'DNAT']);
    expect(e.message).toBe('--dport needs -p tcp or -p udp before it (iptables says: unknown option "--dport")');
    expect(e.sourceLine).toBe('iptables -t nat -A PREROUTING --dport 80 --to-destination 192.168.15.2:80 -j DNAT');
    expect(e.caretLine).toBe('                              ^^^^^^^');
  });

  const cases: Array<[string[], RegExp, string]> = [
    [['-A', 'POSTROUTING', '-j', 'MASQUERADE'], /supports the nat table only: add -t nat/, '-A'],
    [['-t', 'filter', '-A', 'FORWARD', '-j', 'ACCEPT'], /table 'filter' is not supported/, 'filter'],
    [['-t', 'nat', '-A', 'PREROUTING', '-j', 'DNAT'], /-j DNAT needs --to-destination/, '-j DNAT'],
    [['-t', 'nat', '-A', 'POSTROUTING', '-j', 'SNAT', '--to-destination', '1.2.3.4'], /--to-destination belongs to -j DNAT, not -j SNAT/, '--to-destination 1.2.3.4'],
    [['-t', 'nat', '-A', 'PREROUTING', '-j', 'DNAT', '--to-destination', '10.0.0.2:80'], /a port in --to-destination needs -p tcp or -p udp/, '--to-destination 10.0.0.2:80'],
    [['-t', 'nat', '-A', 'PREROUTING', '-s', '10.0.0.0/8', '-j', 'MASQUERADE'], /-j MASQUERADE is only valid in POSTROUTING/, '-j MASQUERADE'],
    [['-t', 'nat', '-A', 'FORWARD', '-j', 'ACCEPT'], /chain 'FORWARD' does not exist in the nat table/, 'FORWARD'],
    [['-t', 'nat', '-A', 'POSTROUTING', '-p', 'tcp', '--dport', '80', '-j', 'MASQUERADE', '--dport', '81'], /--dport given twice/, '--dport'],
    [['-t', 'nat', '-A', 'POSTROUTING', '-j', 'BOUNCE'], /target 'BOUNCE' is not supported/, 'BOUNCE'],
    [['-t', 'nat', '-A', 'POSTROUTING', '--frobnicate', '-j', 'MASQUERADE'], /unknown option '--frobnicate'/, '--frobnicate'],
    [['-t', 'nat', '-A', 'POSTROUTING', '-s', '10.0.0.0/255.0.255.0', '-j', 'MASQUERADE'], /is not a netmask/, '-s 10.0.0.0/255.0.255.0'],
    [['-t', 'nat', '-A', 'POSTROUTING', '-s', '10.0.0.256', '-j', 'MASQUERADE'], /'10\.0\.0\.256' is not an IPv4 address/, '-s 10.0.0.256'],
    [['-t', 'nat', '-A', 'PREROUTING', '-o', 'eth0', '-j', 'ACCEPT'], /can't use -o with PREROUTING/, '-o eth0'],
    [['-t', 'nat', '-A', 'POSTROUTING', '-p', 'tcp', '-j', 'MASQUERADE', '--to-ports', '99999'], /99999 does not fit in 16 bits/, '--to-ports 99999'],
    [['-t', 'nat', '-A', 'POSTROUTING', '-s'], /-s needs a value/, '-s'],
    [['-t', 'nat', '-A', 'POSTROUTING', '-j', 'ACCEPT', '!'], /'!' needs an option after it/, '!'],
  ];
  for (const [args, message, at] of cases) {
    it(args.join(' '), async () => {
      const e = await refused(args);
      expect(e.message).toMatch(message);
      expect(under(e)).toBe(at);
    });
  }
});
