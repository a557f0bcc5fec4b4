/**
 * Batch mode over a scripted kernel (no root needed): line numbers on errors, -force, bare and
 * ip-prefixed lines, comments, connections opened once per namespace, and a kernel error that
 * points at an attribute mapped back to the command-line words.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { run } from '../../../src/cli/run.js';
import type { Connector } from '../../../src/cli/session.js';
import { Connection } from '../../../src/netlink/connection.js';
import type { NetlinkMessage } from '../../../src/netlink/message.js';
import { FakeKernel } from '../../../src/netlink/testing/fake-kernel.js';

const RTM_NEWLINK = 16;
const IFLA_IFNAME = 3;
const IFLA_MTU = 4;
/** nlmsghdr (16) + ifinfomsg (16): where a link message's attributes start. */
const ATTRIBUTES_AT = 32;
const EINVAL = 22;

/** Offset (from the message start) and payload of each top-level attribute of a link request. */
function attributes(m: NetlinkMessage): Map<number, { offset: number; data: Uint8Array }> {
  const out = new Map<number, { offset: number; data: Uint8Array }>();
  const body = m.payload;
  for (let at = ATTRIBUTES_AT - 16; at + 4 <= body.length; ) {
    const len = body[at]! | (body[at + 1]! << 8);
    const type = (body[at + 2]! | (body[at + 3]! << 8)) & 0x3fff;
    out.set(type, { offset: at + 16, data: body.subarray(at + 4, at + len) });
    at += (len + 3) & ~3;
  }
  return out;
}

/** A kernel that accepts everything except a link named "bad0", whose MTU it refuses with extack. */
function kernel(): { connector: Connector; opened: string[]; requests: NetlinkMessage[] } {
  const opened: string[] = [];
  const requests: NetlinkMessage[] = [];
  const connector: Connector = (netns, protocol, options) => {
    opened.push(`${netns ?? '-'}/${protocol}`);
    return new Connection(
      new FakeKernel((m, k) => {
        requests.push(m);
        const attrs = m.type === RTM_NEWLINK ? attributes(m) : new Map();
        const name = attrs.get(IFLA_IFNAME);
        if (name && Buffer.from(name.data).toString('latin1').startsWith('bad0')) {
          return k.error(m, EINVAL, { message: 'MTU is out of range', offset: attrs.get(IFLA_MTU)!.offset });
        }
        return k.ack(m);
      }),
      options,
    );
  };
  return { connector, opened, requests };
}

const dir = mkdtempSync(join(tmpdir(), 'netns-ts-batch-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function batchFile(lines: string[]): string {
  const file = join(dir, `b${Math.random().toString(16).slice(2)}.txt`);
  writeFileSync(file, lines.join('\n'));
  return file;
}

async function runBatch(args: string[]): Promise<{ status: number; out: string[]; err: string[]; k: ReturnType<typeof kernel> }> {
  const k = kernel();
  const out: string[] = [];
  const err: string[] = [];
  const status = await run(args, { out: (l) => out.push(l), err: (l) => err.push(l) }, { connector: k.connector });
  return { status, out, err, k };
}

const LINES = [
  '# bridges for the tutorial',
  'ip link add br0 type bridge',
  '',
  'link set br0 up          # bare, as in ip -b files',
  'ip -n blue link set lo up',
  'ip link add bad0 mtu 1400 type bridge',
  'ip link set br0 down',
];

describe('netns-ts -b FILE', () => {
  it('stops at the first failure, naming its line, the words and the kernel reason', async () => {
    const { status, err, k } = await runBatch(['-b', batchFile(LINES)]);
    expect(status).toBe(1);
    expect(err).toEqual(['netns-ts: line 6: ip link add: mtu 1400: MTU is out of range (kernel: EINVAL)']);
    // Lines 2, 4, 5 and 6 were sent; line 7 never was.
    expect(k.requests.map((m) => m.type)).toEqual([RTM_NEWLINK, RTM_NEWLINK, RTM_NEWLINK, RTM_NEWLINK]);
  });

  it('-force runs every line and still exits non-zero', async () => {
    const { status, err, k } = await runBatch(['-force', '-batch', batchFile(LINES)]);
    expect(status).toBe(1);
    expect(err).toEqual(['netns-ts: line 6: ip link add: mtu 1400: MTU is out of range (kernel: EINVAL)']);
    expect(k.requests).toHaveLength(5);
  });

  it('a command line error stops the batch too, with status 2 and its line number', async () => {
    const { status, err } = await runBatch(['-b', batchFile(['link set br0 up', 'link frobnicate', 'link set br0 down'])]);
    expect(status).toBe(2);
    expect(err).toEqual(['netns-ts: line 2: ip link: command "frobnicate" is unknown (try "ip link help")']);
  });

  it('one connection per namespace and protocol for the whole batch', async () => {
    const lines = Array.from({ length: 50 }, (_, i) => (i % 2 ? `ip -n blue link set v${i} up` : `link set v${i} up`));
    const { status, k } = await runBatch(['-b', batchFile(lines)]);
    expect(status).toBe(0);
    expect(k.requests).toHaveLength(50);
    expect(k.opened).toEqual(['-/0', 'blue/0']);
  });

  it('commands piped to stdin are a batch as well', async () => {
    const k = kernel();
    const err: string[] = [];
    const status = await run([], { out: () => undefined, err: (l) => err.push(l) }, { connector: k.connector, stdinText: () => 'link set br0 up\nlink set br1 mtu 1400\n' });
    expect(status).toBe(0);
    expect(k.requests).toHaveLength(2);
    expect(err).toEqual([]);
  });

  it('an unreadable batch file is one clear line', async () => {
    const { status, err } = await runBatch(['-b', join(dir, 'missing.txt')]);
    expect(status).toBe(2);
    expect(err[0]).toMatch(/^netns-ts: cannot read batch file .*missing\.txt/);
  });
});

describe('one-shot commands over the scripted kernel', () => {
  it('validation happens before anything is sent', async () => {
    const { status, err, k } = await runBatch(['ip', 'link', 'add', 'x'.repeat(16), 'type', 'bridge']);
    expect(status).toBe(1);
    expect(err).toEqual([`netns-ts: ip link add: ${'x'.repeat(16)}: is 16 bytes, at most 15 allowed`]);
    expect(k.requests).toHaveLength(0);
  });

  it('--trace prints each message decoded, with flags by name', async () => {
    const { status, err } = await runBatch(['--trace', 'ip', 'link', 'set', 'br0', 'up']);
    expect(status).toBe(0);
    expect(err[0]).toMatch(/^send RTM_NEWLINK flags=REQUEST\|ACK seq=\d+ pid=\d+$/);
    expect(err).toContain('    attributes: { ifname: "br0" }');
    expect(err.some((l) => /^recv NLMSG_ERROR flags=CAPPED seq=\d+ pid=\d+$/.test(l))).toBe(true);
  });

  it('--trace=hex adds hex rows', async () => {
    const { err } = await runBatch(['--trace=hex', 'ip', 'link', 'set', 'br0', 'up']);
    expect(err.some((l) => /^ {4}0000 {2}[0-9a-f]{2} /.test(l))).toBe(true);
  });

  it('unknown objects and unsupported ones answer clearly', async () => {
    expect((await runBatch(['ip', 'xfrm', 'state'])).err).toEqual(['netns-ts: ip xfrm: not supported by netns-ts (supported: address, link, route, neigh, netns, tuntap, monitor)']);
    expect((await runBatch(['ip', 'm'])).err).toEqual(['netns-ts: ip maddress: not supported by netns-ts (supported: address, link, route, neigh, netns, tuntap, monitor)']);
    expect((await runBatch(['ip', 'link', 'xstats'])).err).toEqual(['netns-ts: ip link xstats: not supported by netns-ts (supported: add, set, change, delete, show, list, lst)']);
  });

  it('--help mentions -batch; --version prints the package version', async () => {
    const help = await runBatch(['--help']);
    expect(help.out.join('\n')).toMatch(/-batch FILE/);
    expect((await runBatch(['--version'])).out[0]).toMatch(/^\d+\.\d+\.\d+/);
  });
});
