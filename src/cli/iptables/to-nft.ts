/**
 * An iptables rule spec as nft statements, in iptables-nft's order (interfaces, protocol,
 * addresses, ports, a counter, the target), ready for the nft compiler: `-s 192.168.15.0/24
 * -j MASQUERADE` is `ip saddr 192.168.15.0/24 counter masquerade`.
 */
import type { NatFlagName, NatStatement, RuleBody, SimpleValue, StatementNode, WordValue } from '../../nft/parse/ast.js';
import { ParseError, type Source, type Span } from '../../nft/parse/errors.js';
import type { Negatable, RuleSpec } from './spec.js';

const IPV4_BITS = 32;

function word(text: string, span: Span, quoted = false): WordValue {
  return { kind: 'word', text, quoted, span };
}

/** `10.0.0.0/24`, `10.0.0.0/255.255.255.0` or `10.0.0.1` as a value. */
function address(n: Negatable, source: Source): SimpleValue {
  const [addr, mask] = n.value.split('/');
  if (mask === undefined) return word(addr!, n.span);
  let length: number;
  if (/^\d+$/.test(mask)) length = Number(mask);
  else {
    const octets = mask.split('.').map(Number);
    const bits = octets.length === 4 && octets.every((o) => o >= 0 && o <= 255) ? octets.map((o) => o.toString(2).padStart(8, '0')).join('') : '';
    if (!/^1*0*$/.test(bits) || bits.length !== IPV4_BITS) throw new ParseError(`'${mask}' is not a netmask (a prefix length or a contiguous mask such as 255.255.255.0)`, source, n.span);
    length = bits.indexOf('0') < 0 ? IPV4_BITS : bits.indexOf('0');
  }
  if (length > IPV4_BITS) throw new ParseError(`prefix length ${length} is longer than 32 bits`, source, n.span);
  return { kind: 'prefix', value: word(addr!, n.span), length, span: n.span };
}

/** `80` or iptables' `80:90` range. */
function ports(text: string, span: Span): SimpleValue {
  const [from, to] = text.split(/[:-]/);
  return to === undefined ? word(from!, span) : { kind: 'range', from: word(from!, span), to: word(to, span), span };
}

function natFlags(spec: RuleSpec): NatFlagName[] {
  return [...(spec.random ? ['random' as const] : []), ...(spec.randomFully ? ['fully-random' as const] : []), ...(spec.persistent ? ['persistent' as const] : [])];
}

/** `--to-destination 1.2.3.4-1.2.3.9:80-90` → address and port values. */
function natTarget(text: string, span: Span): Pick<NatStatement, 'addr' | 'port'> {
  const colon = text.lastIndexOf(':');
  const addr = colon < 0 ? text : text.slice(0, colon);
  const port = colon < 0 ? undefined : text.slice(colon + 1);
  const out: Pick<NatStatement, 'addr' | 'port'> = {};
  if (addr !== '') {
    const [a, b] = addr.split('-');
    out.addr = b === undefined ? word(a!, span) : { kind: 'range', from: word(a!, span), to: word(b, span), span };
  }
  if (port !== undefined) out.port = ports(port, span);
  return out;
}

function target(spec: RuleSpec): StatementNode {
  const t = spec.target!;
  const span = t.span;
  if (t.name === 'ACCEPT' || t.name === 'DROP' || t.name === 'RETURN') return { kind: 'verdict', verdict: t.name.toLowerCase() as 'accept' | 'drop' | 'return', span };
  const nat: NatStatement = { kind: 'nat', type: 'masquerade', flags: natFlags(spec), keywordSpan: span, span };
  if (t.name === 'MASQUERADE' || t.name === 'REDIRECT') {
    nat.type = t.name === 'MASQUERADE' ? 'masquerade' : 'redirect';
    if (spec.to) nat.port = ports(spec.to.value, spec.to.span);
  } else {
    nat.type = t.name === 'SNAT' ? 'snat' : 'dnat';
    Object.assign(nat, natTarget(spec.to!.value, spec.to!.span));
  }
  return nat;
}

/** The nft statements of an iptables rule. */
export function ruleBody(spec: RuleSpec, source: Source): RuleBody {
  const statements: StatementNode[] = [];
  const match = (left: StatementNode & { kind: 'match' }): void => void statements.push(left);
  const op = (n: Negatable) => (n.negated ? 'neq' : 'implicit') as 'neq' | 'implicit';
  const iface = (n: Negatable, key: 'iifname' | 'oifname'): void =>
    match({ kind: 'match', left: { kind: 'meta', key, span: n.span }, op: op(n), right: word(n.value.replace(/\+$/, '*'), n.span, true), span: n.span });
  if (spec.inInterface) iface(spec.inInterface, 'iifname');
  if (spec.outInterface) iface(spec.outInterface, 'oifname');
  const protocol = spec.protocol && spec.protocol.value !== 'all' && spec.protocol.value !== '0' ? spec.protocol : undefined;
  if (protocol) match({ kind: 'match', left: { kind: 'meta', key: 'l4proto', span: protocol.span }, op: op(protocol), right: word(protocol.value, protocol.span), span: protocol.span });
  for (const [n, field] of [[spec.source, 'saddr'], [spec.destination, 'daddr']] as const) {
    if (n) match({ kind: 'match', left: { kind: 'payload', protocol: 'ip', field, span: n.span }, op: op(n), right: address(n, source), span: n.span });
  }
  for (const [n, field] of [[spec.sport, 'sport'], [spec.dport, 'dport']] as const) {
    if (n) match({ kind: 'match', left: { kind: 'payload', protocol: protocol!.value as 'tcp' | 'udp', field, span: n.span }, op: op(n), right: ports(n.value, n.span), span: n.span });
  }
  statements.push({ kind: 'counter', span: spec.target!.span });
  statements.push(target(spec));
  const span = { start: 0, end: source.text.length };
  return { statements, ...(spec.comment !== undefined ? { comment: spec.comment } : {}), span };
}
