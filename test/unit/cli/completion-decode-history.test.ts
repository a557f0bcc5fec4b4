import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { complete, type CompletionSources } from '../../../src/cli/completion.js';
import { decodeCommand, parseHexInput } from '../../../src/cli/decode.js';
import { appendHistory, loadHistory } from '../../../src/cli/history.js';
import { UsageError } from '../../../src/cli/usage-error.js';

const sources: CompletionSources = {
  interfaces: async () => ['lo', 'veth-red', 'veth-blue', 'v-net-0'],
  namespaces: () => ['red', 'blue'],
};
const c = (line: string) => complete(line, sources);

describe('REPL completion', () => {
  it('objects, commands and options of the ip language', async () => {
    expect(await c('ip li')).toEqual([['link '], 'li']);
    expect(await c('ip link s')).toEqual([['set', 'show'], 's']);
    expect(await c('link add veth0 ty')).toEqual([['type '], 'ty']);
    expect(await c('link add veth0 type ')).toEqual([['bridge', 'ifb', 'macvlan', 'veth', 'vxlan'], '']);
    expect(await c('ip -j a')).toEqual([['address '], 'a']);
    expect(await c('neigh add 10.0.0.1 nud p')).toEqual([['permanent', 'probe'], 'p']);
  });

  it('interface names after dev/master and as the device of ip link set', async () => {
    expect(await c('ip addr add 10.0.0.1/24 dev veth-')).toEqual([['veth-blue', 'veth-red'], 'veth-']);
    expect(await c('ip link set veth-r')).toEqual([['veth-red '], 'veth-r']);
    expect(await c('link set veth-red master v-')).toEqual([['v-net-0 '], 'v-']);
  });

  it('namespace names after -n, netns, .netns and ip netns exec', async () => {
    expect(await c('ip -n r')).toEqual([['red '], 'r']);
    expect(await c('ip link set veth-red netns b')).toEqual([['blue '], 'b']);
    expect(await c('.netns ')).toEqual([['-', 'blue', 'red'], '']);
    expect(await c('ip netns exec ')).toEqual([['blue', 'red'], '']);
  });

  it('dot-commands and their arguments', async () => {
    expect(await c('.t')).toEqual([['.trace '], '.t']);
    expect(await c('.trace ')).toEqual([['hex', 'off', 'on'], '']);
    expect((await c(''))[0]).toContain('.help');
  });
});

describe('decode', () => {
  // RTM_NEWLINK request as captured from `ip link set lo up` (fixtures/route/ack-link-set-up.json).
  const hex = '2000000010000500000000000000000000000000000000000000000000000000';

  it('prints the tree --trace prints', async () => {
    const out: string[] = [];
    await decodeCommand([hex], (l) => out.push(l));
    expect(out).toEqual(['RTM_NEWLINK flags=REQUEST|ACK seq=0 pid=0', '  header: { family: 0, type: 0, index: 0, flags: 0, change: 0 }', '  attributes: {}']);
  });

  it('accepts strace escapes and hexdump spacing', () => {
    const strace = `"${hex.match(/../g)!.map((b) => `\\x${b}`).join('')}"`;
    expect(parseHexInput([strace])).toEqual(parseHexInput([hex]));
    expect(parseHexInput(['20 00 00 00', '10:00'])).toEqual(new Uint8Array([0x20, 0, 0, 0, 0x10, 0]));
  });

  it('--json keeps the machine form; bad input is a usage error', async () => {
    const out: string[] = [];
    await decodeCommand(['--json', hex], (l) => out.push(l));
    expect(JSON.parse(out.join('\n'))[0].typeName).toBe('RTM_NEWLINK');
    await expect(decodeCommand(['abc'], () => undefined)).rejects.toThrow(UsageError);
    await expect(decodeCommand(['--family', 'nope', hex], () => undefined)).rejects.toThrow(/unknown \(known: route, netfilter/);
  });
});

describe('history file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'netns-ts-hist-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is created with mode 0600, appended to, and read back newest first without repeats', () => {
    const file = join(dir, 'history');
    appendHistory(file, 'ip link show');
    appendHistory(file, 'ip addr');
    appendHistory(file, 'ip link show');
    appendHistory(file, '   ');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).toBe('ip link show\nip addr\nip link show\n');
    expect(loadHistory(file)).toEqual(['ip link show', 'ip addr']);
    expect(loadHistory(join(dir, 'none'))).toEqual([]);
  });
});
