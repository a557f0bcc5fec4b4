/**
 * Rules printed as iptables prints them: `-S` lines (`-A PREROUTING -p tcp -m tcp --dport 80
 * -j DNAT --to-destination 192.168.15.2:80`) and `-L` table rows (`DNAT       tcp  --  anywhere
 * anywhere             tcp dpt:http to:192.168.15.2:80`), with `-n`, `-v` and `--line-numbers`.
 */
import { INET_PROTOCOLS } from '../../nft/render/datatypes.js';
import { serviceName } from '../nft/resolvers.js';
import type { Negatable, RuleSpec } from './spec.js';

/** iptables quotes option values that need it (xtables_save_string). */
function quote(s: string): string {
  return /^[\w.:/+-]+$/.test(s) ? s : `"${s.replace(/(["\\])/g, '\\$1')}"`;
}

const neg = (n: Negatable): string => (n.negated ? '! ' : '');
/** iptables -S prints host addresses with their /32. */
const withMask = (a: string): string => (a.includes('/') ? a : `${a}/32`);

/** The `-A CHAIN …` line of a rule (iptables -S). */
export function specLine(chain: string, r: RuleSpec): string {
  const parts = [`-A ${chain}`];
  if (r.source) parts.push(`${neg(r.source)}-s ${withMask(r.source.value)}`);
  if (r.destination) parts.push(`${neg(r.destination)}-d ${withMask(r.destination.value)}`);
  if (r.inInterface) parts.push(`${neg(r.inInterface)}-i ${r.inInterface.value}`);
  if (r.outInterface) parts.push(`${neg(r.outInterface)}-o ${r.outInterface.value}`);
  if (r.protocol) parts.push(`${neg(r.protocol)}-p ${r.protocol.value}`);
  if (r.sport || r.dport) parts.push(`-m ${r.protocol!.value}`);
  if (r.sport) parts.push(`${neg(r.sport)}--sport ${r.sport.value}`);
  if (r.dport) parts.push(`${neg(r.dport)}--dport ${r.dport.value}`);
  if (r.comment !== undefined) parts.push(`-m comment --comment ${quote(r.comment)}`);
  parts.push(`-j ${r.target!.name}`);
  if (r.to) parts.push(`${r.to.option} ${r.to.value}`);
  if (r.random) parts.push('--random');
  if (r.randomFully) parts.push('--random-fully');
  if (r.persistent) parts.push('--persistent');
  return parts.join(' ');
}

export interface ListFormat {
  numeric: boolean;
  verbose: boolean;
  lineNumbers: boolean;
}

const pad = (s: string, n: number): string => s.padEnd(n);
const padLeft = (s: string, n: number): string => s.padStart(n);

/** iptables' short counts for -v: 1234 → 1234, 12345 → 12345, 123456 → 120K … */
function count(n: bigint): string {
  const units = ['', 'K', 'M', 'G', 'T'];
  let value = n;
  let i = 0;
  while (value >= 100000n && i < units.length - 1) {
    value /= 1000n;
    i++;
  }
  return `${value}${units[i]}`;
}

/** The column header of `iptables -L`. */
export function listHeader(f: ListFormat): string {
  let out = f.lineNumbers ? `${pad('num', 4)} ` : '';
  if (f.verbose) out += `${padLeft('pkts', 5)} ${padLeft('bytes', 5)} `;
  out += `${pad('target', 10)} ${pad('prot', 4)} opt`;
  if (f.verbose) out += ` ${pad('in', 6)} ${pad('out', 6)} `;
  // Each address column starts with its inversion mark's place.
  return `${out} ${pad('source', 19)}  ${pad('destination', 19)} `;
}

function protocolText(p: Negatable | undefined, numeric: boolean): string {
  if (!p) return numeric ? '0' : 'all';
  if (numeric) return String(INET_PROTOCOLS[p.value] ?? p.value);
  return p.value;
}

function addressText(a: Negatable | undefined, numeric: boolean): string {
  if (!a) return numeric ? '0.0.0.0/0' : 'anywhere';
  return a.value.endsWith('/32') ? a.value.slice(0, -3) : a.value;
}

function portText(p: string, protocol: string, numeric: boolean): string {
  if (numeric || !/^\d+$/.test(p)) return p;
  return serviceName(Number(p), protocol) ?? p;
}

function portsText(name: string, n: Negatable | undefined, protocol: string, numeric: boolean): string {
  if (!n) return '';
  const [from, to] = n.value.split(':');
  const inv = n.negated ? '!' : '';
  return to === undefined ? ` ${name}:${inv}${portText(from!, protocol, numeric)}` : ` ${name}s:${inv}${portText(from!, protocol, numeric)}:${portText(to, protocol, numeric)}`;
}

function targetText(r: RuleSpec): string {
  let out = '';
  const to = r.to?.value;
  switch (r.target!.name) {
    case 'SNAT': case 'DNAT': out = ` to:${to}`; break;
    case 'MASQUERADE': if (to) out = ` masq ports: ${to}`; break;
    case 'REDIRECT': if (to) out = ` redir ports ${to}`; break;
  }
  if (r.random) out += ' random';
  if (r.randomFully) out += ' random-fully';
  if (r.persistent) out += ' persistent';
  return out;
}

/** One row of `iptables -L`. */
export function listLine(r: RuleSpec, f: ListFormat, index: number, counters: { packets: bigint; bytes: bigint }): string {
  let out = f.lineNumbers ? `${pad(String(index), 4)} ` : '';
  if (f.verbose) out += `${padLeft(count(counters.packets), 5)} ${padLeft(count(counters.bytes), 5)} `;
  out += `${pad(r.target!.name, 9)} `;
  out += `${r.protocol?.negated ? '!' : ' '}${pad(protocolText(r.protocol, f.numeric), 5)}`;
  out += '-- ';
  if (f.verbose) {
    // iptables' print_ifaces: " %-6s " then "%-6s ", the `!` inside the padded name.
    const iface = (n: Negatable | undefined): string => pad(`${n?.negated ? '!' : ''}${n ? n.value : f.numeric ? '*' : 'any'}`, 6);
    out += ` ${iface(r.inInterface)} ${iface(r.outInterface)} `;
  }
  out += `${r.source?.negated ? '!' : ' '}${pad(addressText(r.source, f.numeric), 19)} `;
  out += `${r.destination?.negated ? '!' : ' '}${pad(addressText(r.destination, f.numeric), 19)} `;
  if (r.sport || r.dport) {
    const p = r.protocol!.value;
    out += ` ${p}${portsText('spt', r.sport, p, f.numeric)}${portsText('dpt', r.dport, p, f.numeric)}`;
  }
  if (r.comment !== undefined) out += ` /* ${r.comment} */`;
  return out + targetText(r);
}
