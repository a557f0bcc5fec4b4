/**
 * Bad input is a ParseError that says what is wrong and points at it the way nft does: the
 * command, then carets under the offending part (and `~` under the statement it belongs to).
 */
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../src/netlink/errors.js';
import { compileCommands } from '../../../src/nft/parse/compile/commands.js';
import { ParseError } from '../../../src/nft/parse/errors.js';
import { parseCommandLine, parseNftFile } from '../../../src/nft/parse/parse-commands.js';

function failure(text: string, file = false): ParseError {
  try {
    const parsed = file ? parseNftFile(text, 'rules.nft') : parseCommandLine(text);
    compileCommands(parsed.commands, parsed.source, { resolvers: { interfaceIndex: (n) => (n === 'lo' ? 1 : undefined), serviceNumber: (n) => (n === 'ssh' ? 22 : undefined) } });
  } catch (err) {
    expect(err).toBeInstanceOf(ParseError);
    expect(err).toBeInstanceOf(ValidationError);
    return err as ParseError;
  }
  throw new Error(`no error for: ${text}`);
}

/** The text under the carets. */
function underlined(e: ParseError): string {
  const start = e.caretLine.indexOf('^');
  const end = e.caretLine.lastIndexOf('^') + 1;
  return e.sourceLine.slice(start, end);
}

describe('errors point at what is wrong', () => {
  const cases: Array<[input: string, message: RegExp, underlined: string]> = [
    ['add rule ip t c tcp dportt 22', /unexpected 'dportt', expecting a tcp field/, 'dportt'],
    ['add rule ip t c ip protocol udp tcp dport 22', /conflicting protocols specified: udp vs\. tcp/, 'tcp dport'],
    ['add rule ip t c ip saddr 10.0.0.300 accept', /'10\.0\.0\.300' is not an IPv4 address/, '10.0.0.300'],
    ['add rule ip t c ip saddr 10.0.0.0/33', /prefix length 33 is longer than 32 bits/, '10.0.0.0/33'],
    ['add rule ip t c tcp dport 70000', /70000 does not fit in 16 bits/, '70000'],
    ['add rule ip t c tcp dport nosuchservice', /'nosuchservice' is not a port number \(0-65535\) or a service name/, 'nosuchservice'],
    ['add rule ip t c iif nosuchif accept', /interface 'nosuchif' does not exist/, 'nosuchif'],
    ['add rule ip t c dnat to 10.0.0.2:80', /transport protocol mapping is only valid after transport protocol match/, '80'],
    ['add rule inet t c dnat to 10.0.0.2', /ip or ip6 must be specified with address for inet tables/, 'dnat'],
    ['add rule ip t c meta nfproto ipv4', /meta nfproto is only useful in the inet family/, 'meta nfproto'],
    ['add rule ip t c reject with icmpx port-unreachable', /abstracted ICMP unreachable not supported/, 'port-unreachable'],
    ['add rule ip t c ct state establishd', /'establishd' is not one of invalid, established/, 'establishd'],
    ['add rule ip t c tcp dport 30-20', /the range is empty/, '30-20'],
    ['add rule ip t c iifname "veth0123456789abcdef"', /is not an interface name/, '"veth0123456789abcdef"'],
    ['add rule ip t c counter frobnicate', /syntax error, unexpected 'frobnicate'/, 'frobnicate'],
    ['add rule ip t c ip daddr { }', /the set is empty/, '{ }'],
    ['add rule ip t c comment "unterminated', /unterminated string/, '"unterminated'],
    ['add rule ip t c', /unexpected end of input, expecting a statement/, ''],
    ['add rule ip t c ip saddr', /unexpected end of input, expecting a value to compare with/, ''],
    ['add chain ip t c { type nat hook postrouting priority sourcenat; }', /unknown priority 'sourcenat'/, 'sourcenat'],
    ['add chain ip t c { type nat hook nowhere priority 0; }', /nowhere/, 'add chain ip t c { type nat hook nowhere priority 0; }'],
    ['frobnicate table ip t', /unexpected 'frobnicate', expecting a command/, 'frobnicate'],
    ['add rule ip t c ip saddr 1.2.3.4 \u0007', /unexpected character 0x07/, '\u0007'],
    ['add element ip t nosuchset { 1.2.3.4 }', /no set 'nosuchset' in table ip t/, 'add element ip t nosuchset { 1.2.3.4 }'],
    ['add rule ip t c tcp dport { 22 : accept }', /a set has no values: use a map/, ':'],
  ];
  for (const [input, message, under] of cases) {
    it(input, () => {
      const e = failure(input);
      expect(e.message).toMatch(message);
      if (under !== '') expect(underlined(e)).toBe(under);
      expect(e.sourceLine).toBe(input.replace(/\u0007/, '\u0007'));
      expect(e.format().split('\n')).toEqual([`Error: ${e.message}`, e.sourceLine, e.caretLine]);
    });
  }

  it('marks the statement with ~ and the part at fault with ^, as nft does', () => {
    const e = failure('add rule ip t pre dnat to :8080');
    expect(e.sourceLine).toBe('add rule ip t pre dnat to :8080');
    // nft 1.0.6 prints exactly these two lines for this command.
    expect(e.caretLine).toBe('                  ~~~~     ^^^^');
  });

  it('errors in an nft -f file name the file, line and column', () => {
    const e = failure('table ip nat {\n\tchain post {\n\t\ttype nat hook postrouting priority srcnat;\n\t\tip saddr 10.0.0.0/24 masquerad\n\t}\n}\n', true);
    expect(e.message).toMatch(/^rules\.nft:4:24-32: syntax error, unexpected 'masquerad'/);
    expect(e.position).toEqual({ line: 4, column: 24 });
    expect(e.sourceLine).toBe('\t\tip saddr 10.0.0.0/24 masquerad');
    // Tabs are kept under the carets so they line up.
    expect(e.caretLine).toBe('\t\t                     ^^^^^^^^^');
  });

  it('an undefined $variable is named', () => {
    const e = failure('define lan = 10.0.0.0/24\nadd rule ip t c ip saddr $wan accept\n', true);
    expect(e.message).toMatch(/unknown identifier 'wan'/);
  });
});
