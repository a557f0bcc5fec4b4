// The rule both nf_tables scripts load 10,000 of: `tcp dport 1024+i dnat to 10.201.x.y:8080`,
// as the expressions nft generates for it.

/** The i-th destination address, 10.201.(i >> 8).(i & 255). */
export const dnatAddress = (i) => Uint8Array.of(10, 201, (i >> 8) & 0xff, i & 0xff);

/** The add-rule command for rule i in chain `pre` of `table`, built with the library's addRule. */
export function dnatRule(addRule, table, i) {
  const port = 1024 + i;
  return addRule({
    family: 'ip', table, chain: 'pre', expressions: [
      { type: 'meta', key: 'l4proto', dreg: 1 },
      { type: 'cmp', sreg: 1, op: 'eq', data: { value: Uint8Array.of(6) } },
      { type: 'payload', dreg: 1, base: 'transport', offset: 2, len: 2 },
      { type: 'cmp', sreg: 1, op: 'eq', data: { value: Uint8Array.of(port >> 8, port & 0xff) } },
      { type: 'immediate', dreg: 1, data: { value: dnatAddress(i) } },
      { type: 'immediate', dreg: 2, data: { value: Uint8Array.of(0x1f, 0x90) } },
      { type: 'nat', natType: 'dnat', family: 'ip', addrMin: 1, protoMin: 2, flags: ['proto-specified'] },
    ],
  });
}
