/**
 * Fuzzing the nft language and the iptables forms: random token soups (keywords, numbers,
 * addresses, punctuation, quotes, control characters), valid commands cut short or with a
 * character replaced, random iptables argument lists. Whatever the input, running it either
 * succeeds or fails with a ParseError / ValidationError (or, for a well-formed command the
 * kernel refuses, a KernelRejectedError) — never anything else, never a hang — and a command
 * that fails changes nothing: no batch is sent for a ParseError or ValidationError, and the
 * (fake) kernel's ruleset generation does not move.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runIptables } from '../../../src/cli/iptables/index.js';
import { KernelRejectedError, runNft } from '../../../src/cli/nft/index.js';
import { ValidationError } from '../../../src/netlink/errors.js';
import { ParseError } from '../../../src/nft/parse/errors.js';
import { RUNS } from '../../helpers/arbitrary.js';
import { fakeContext, type FakeContext } from '../../unit/nft-parse/fake-context.js';

const KEYWORDS = [
  'add', 'create', 'insert', 'replace', 'delete', 'destroy', 'flush', 'list', 'table', 'tables', 'chain', 'chains', 'rule', 'set', 'map', 'element',
  'ruleset', 'ip', 'ip6', 'inet', 'netdev', 't', 'c', 'nat', 'type', 'hook', 'priority', 'policy', 'filter', 'prerouting', 'postrouting', 'srcnat',
  'tcp', 'udp', 'th', 'icmp', 'meta', 'ct', 'fib', 'saddr', 'daddr', 'sport', 'dport', 'protocol', 'l4proto', 'iifname', 'oifname', 'iif', 'oif',
  'mark', 'state', 'established', 'related', 'new', 'accept', 'drop', 'return', 'jump', 'goto', 'counter', 'limit', 'rate', 'over', 'burst',
  'packets', 'second', 'log', 'prefix', 'level', 'reject', 'with', 'masquerade', 'snat', 'dnat', 'redirect', 'to', 'random', 'persistent',
  'fully-random', 'map', 'vmap', 'comment', 'handle', 'position', 'elements', 'flags', 'interval', 'timeout', 'ipv4_addr', 'inet_service', 'define',
  'lo', 'eth0', 'veth*', 'quota', 'mbytes', 'notrack', 'addr', 'port', 'exists', 'missing', 'local',
];
const PUNCTUATION = ['{', '}', '(', ')', '[', ']', ';', ',', ':', '.', '/', '-', '=', '==', '!=', '<', '>', '<=', '>=', '!', '@', '$', '*', '+', '&', '|', '^', '"', '\'', '#', '\\'];
const VALUES = ['0', '1', '22', '80', '443', '65535', '65536', '-1', '0x10', '10.0.0.1', '10.0.0.0/8', '192.168.15.2:80', '1.2.3.4-1.2.3.9', 'fd00::1', '[fd00::2]:80', '::', '00:11:22:33:44:55', '30s', '1h30m', '4294967296', '"quoted"', '"un', '10.0.0.300', '/33'];

const token = fc.oneof(
  fc.constantFrom(...KEYWORDS),
  fc.constantFrom(...PUNCTUATION),
  fc.constantFrom(...VALUES),
  fc.string({ maxLength: 6 }),
  fc.string({ unit: 'binary', maxLength: 4 }),
  fc.constantFrom('\u0000', '\u0007', '\t', '\n', '\r', '\u00ff', '\u{1f600}'),
);

const VALID = [
  'add rule ip t c ip saddr 10.0.0.0/24 oifname != "eth0" counter masquerade',
  'add rule ip t c tcp dport { 80, 443 } dnat to 10.0.0.2:8080',
  'add rule ip t c meta l4proto tcp dnat ip addr . port to tcp dport map { 80 : 10.0.0.2 . 8080 }',
  'add chain ip t post { type nat hook postrouting priority srcnat; policy accept; }',
  'add set ip t s { type ipv4_addr; flags interval; elements = { 10.0.0.0/8, 192.168.0.1 } }',
  'insert rule ip t c position 1 ct state established,related accept comment "x"',
  'add rule ip t c limit rate over 10/minute burst 20 packets log prefix "p " level info drop',
];

/** A valid command with damage: cut short, or a character replaced or inserted. */
const damaged = fc.tuple(fc.constantFrom(...VALID), fc.nat(), fc.constantFrom('cut', 'replace', 'insert'), fc.constantFrom(...PUNCTUATION, '\u0000', 'x', ' ')).map(([text, at, how, ch]) => {
  const i = at % text.length;
  if (how === 'cut') return text.slice(0, i);
  if (how === 'replace') return text.slice(0, i) + ch + text.slice(i + 1);
  return text.slice(0, i) + ch + text.slice(i);
});

const soup = fc.array(token, { minLength: 1, maxLength: 14 }).map((t) => t.join(' '));
/** Command text as one argument; never empty and never an option (those are usage errors). */
const commandText = fc.oneof(soup, damaged).map((t) => (t.trim() === '' || t.trimStart().startsWith('-') ? `add ${t}` : t));

async function seeded(): Promise<FakeContext> {
  const ctx = fakeContext();
  await runNft(['add table ip t; add chain ip t c; add set ip t s { type ipv4_addr; }'], ctx);
  return ctx;
}

/** Run a command; check it failed only in the allowed ways, and that a failure changed nothing. */
async function check(ctx: FakeContext, run: () => Promise<unknown>): Promise<void> {
  const batches = ctx.batches();
  const generation = ctx.nft.generation;
  const state = JSON.stringify(ctx.nft.state, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v instanceof Uint8Array ? Array.from(v) : v));
  let error: unknown;
  try {
    await run();
  } catch (err) {
    error = err;
  }
  if (error === undefined) return;
  if (!(error instanceof ValidationError) && !(error instanceof KernelRejectedError)) throw error;
  if (error instanceof ValidationError) expect(ctx.batches()).toBe(batches);
  expect(ctx.nft.generation).toBe(generation);
  expect(JSON.stringify(ctx.nft.state, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v instanceof Uint8Array ? Array.from(v) : v))).toBe(state);
}

describe('fuzzing the nft language', () => {
  it('a ParseError always points into the input and shows the offending line', async () => {
    await fc.assert(
      fc.asyncProperty(commandText, async (text) => {
        const ctx = await seeded();
        try {
          await runNft([text], ctx);
        } catch (err) {
          if (err instanceof ParseError) {
            expect(err.span.start).toBeGreaterThanOrEqual(0);
            expect(err.span.end).toBeLessThanOrEqual(text.length + 1);
            expect(text).toContain(err.sourceLine);
            expect(err.caretLine).toMatch(/\^/);
          }
        } finally {
          ctx.close();
        }
      }),
      { numRuns: Math.ceil(RUNS / 2) },
    );
  }, 120_000);

  it('never fails otherwise than ParseError/ValidationError/KernelRejectedError, and a failure changes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(commandText, async (text) => {
        const ctx = await seeded();
        try {
          await check(ctx, () => runNft([text], ctx));
        } finally {
          ctx.close();
        }
      }),
      { numRuns: RUNS },
    );
  }, 120_000);

  it('iptables argument lists: the same guarantees', async () => {
    const IPT = ['-t', 'nat', 'filter', '-A', '-I', '-D', '-L', '-S', '-F', 'PREROUTING', 'POSTROUTING', 'OUTPUT', 'INPUT', 'FORWARD', '-s', '-d', '-p', 'tcp', 'udp', 'icmp',
      '--dport', '--sport', '-i', '-o', 'eth0', 'eth+', '-j', 'MASQUERADE', 'SNAT', 'DNAT', 'REDIRECT', 'ACCEPT', 'DROP', 'RETURN', '--to-source', '--to-destination', '--to-ports',
      '--random', '--persistent', '--random-fully', '!', '-m', 'comment', '--comment', '-n', '-v', '--line-numbers', '1', '80', '80:90', '10.0.0.0/8', '192.168.15.2:80', '1.2.3.4-1.2.3.9:80-90'];
    const args = fc.array(fc.oneof(fc.constantFrom(...IPT), fc.string({ maxLength: 5 })), { minLength: 0, maxLength: 12 });
    await fc.assert(
      fc.asyncProperty(fc.boolean(), args, async (withTable, rest) => {
        const ctx = await seeded();
        try {
          await check(ctx, () => runIptables(withTable ? ['-t', 'nat', ...rest] : rest, ctx));
        } finally {
          ctx.close();
        }
      }),
      { numRuns: RUNS },
    );
  }, 120_000);
});
