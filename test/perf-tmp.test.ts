import { readFileSync } from 'node:fs';
import { it } from 'vitest';
import { decodeDatagram, encodeDecodedDatagram, registerProtocol } from '../src/netlink/registry.js';
import { parseDatagram } from '../src/netlink/message.js';
import { netfilterProtocol } from '../src/nft/protocol.js';

it('perf', () => {
  registerProtocol(netfilterProtocol);
  const fx = JSON.parse(readFileSync('/work/main/fixtures/netfilter/expr-dnat-address-port.json', 'utf8'));
  // The NEWRULE request datagram: find the message with the rule (largest request datagram).
  const req = fx.datagrams.filter((d: any) => d.direction === 'request').map((d: any) => Buffer.from(d.hex, 'hex')).sort((a: Buffer, b: Buffer) => b.length - a.length)[0];
  const msgs = parseDatagram(req);
  const rule = msgs.find((m) => (m.type & 0xff) === 6)!; // NFT_MSG_NEWRULE
  const one = req.subarray(rule.offset, rule.offset + rule.payload.length + 16);
  const N = 10000;
  const big = Buffer.concat(Array.from({ length: N }, () => one));
  for (let round = 0; round < 3; round++) {
    let t = performance.now();
    const decoded = decodeDatagram('netfilter', big);
    const dt = performance.now() - t;
    t = performance.now();
    const enc = encodeDecodedDatagram('netfilter', decoded);
    const et = performance.now() - t;
    console.log(`round ${round}: ${N} rules (${one.length} B each): decode ${dt.toFixed(1)} ms, encode ${et.toFixed(1)} ms, equal=${Buffer.compare(Buffer.from(enc), big) === 0}`);
  }
});
