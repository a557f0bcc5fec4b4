/**
 * A rule of the nat table back as an iptables rule spec, from its nft statements (the rule as
 * the renderer prints it, parsed). Undefined when a statement has no iptables form (the rule
 * was written with nft, using something iptables cannot say).
 */
import type { NatStatement, SimpleValue, StatementNode } from '../../nft/parse/ast.js';
import type { Negatable, RuleSpec, Target } from './spec.js';

const NO_SPAN = { start: 0, end: 0 };

function text(v: SimpleValue, rangeSeparator: string): string | undefined {
  switch (v.kind) {
    case 'word': return v.text;
    case 'prefix': return `${v.value.text}/${v.length}`;
    case 'range': return `${v.from.text}${rangeSeparator}${v.to.text}`;
    default: return undefined;
  }
}

function negatable(value: string, op: string): Negatable | undefined {
  if (op !== 'implicit' && op !== 'eq' && op !== 'neq') return undefined;
  return { value, negated: op === 'neq', span: NO_SPAN };
}

function natSpec(s: NatStatement, spec: RuleSpec): boolean {
  if (s.addr?.kind === 'map' || s.addrPort) return false;
  const names: Record<NatStatement['type'], Target> = { masquerade: 'MASQUERADE', redirect: 'REDIRECT', snat: 'SNAT', dnat: 'DNAT' };
  spec.target = { name: names[s.type], span: NO_SPAN };
  const addr = s.addr ? text(s.addr, '-') : '';
  const port = s.port ? text(s.port, '-') : undefined;
  if (addr === undefined) return false;
  if (s.type === 'snat' || s.type === 'dnat') {
    spec.to = { option: s.type === 'snat' ? '--to-source' : '--to-destination', value: `${addr}${port !== undefined ? `:${port}` : ''}`, span: NO_SPAN };
  } else if (port !== undefined) {
    spec.to = { option: '--to-ports', value: port, span: NO_SPAN };
  }
  if (s.flags.includes('random')) spec.random = true;
  if (s.flags.includes('fully-random')) spec.randomFully = true;
  if (s.flags.includes('persistent')) spec.persistent = true;
  return true;
}

function statement(s: StatementNode, spec: RuleSpec): boolean {
  switch (s.kind) {
    case 'counter':
      return true;
    case 'verdict':
      if (s.verdict !== 'accept' && s.verdict !== 'drop' && s.verdict !== 'return') return false;
      spec.target = { name: s.verdict.toUpperCase() as Target, span: NO_SPAN };
      return true;
    case 'nat':
      return natSpec(s, spec);
    case 'match': {
      const value = s.right.kind === 'word' || s.right.kind === 'prefix' || s.right.kind === 'range' ? text(s.right, ':') : undefined;
      const n = value === undefined ? undefined : negatable(value, s.op);
      if (!n) return false;
      const left = s.left;
      if (left.kind === 'meta' && (left.key === 'iifname' || left.key === 'oifname') && s.right.kind === 'word') {
        spec[left.key === 'iifname' ? 'inInterface' : 'outInterface'] = { ...n, value: n.value.replace(/\*$/, '+') };
        return true;
      }
      if (left.kind === 'meta' && left.key === 'l4proto' && s.right.kind === 'word') return (spec.protocol = n), true;
      if (left.kind === 'payload' && left.protocol === 'ip' && (left.field === 'saddr' || left.field === 'daddr') && s.right.kind !== 'range') {
        spec[left.field === 'saddr' ? 'source' : 'destination'] = n;
        return true;
      }
      if (left.kind === 'payload' && (left.protocol === 'tcp' || left.protocol === 'udp') && (left.field === 'sport' || left.field === 'dport')) {
        if (spec.protocol && spec.protocol.value !== left.protocol) return false;
        spec.protocol ??= { value: left.protocol, negated: false, span: NO_SPAN };
        spec[left.field] = n;
        return true;
      }
      return false;
    }
    default:
      return false;
  }
}

/** The iptables spec of a rule's statements, or undefined when iptables cannot express it. */
export function specOf(statements: readonly StatementNode[], comment: string | undefined): RuleSpec | undefined {
  const spec: RuleSpec = {};
  for (const s of statements) if (!statement(s, spec)) return undefined;
  if (!spec.target) return undefined;
  if (comment !== undefined) spec.comment = comment;
  return spec;
}
