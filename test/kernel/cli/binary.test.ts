/**
 * The real binary (`node dist/cli/main.js`, compiled once for this file, with its one-file
 * bundle), for what only a process shows:
 * - that it runs from the bundle, writing a code cache per kind of command, and prints the
 *   same from its separate modules;
 * - exit statuses, the one error line on stderr, stdin read as a batch when it is not a
 *   terminal, the trace going to stderr while stdout stays parseable;
 * - the REPL under a pseudo-terminal, as a person uses it: TAB completion of interface and
 *   namespace names, history kept across sessions in a 0600 file, an error line after which
 *   the next command still works, Ctrl-C stopping `ip monitor`, `.netns`, `.trace`, `.exit`.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeKernel, randomName } from '../sandbox.js';
import { buildCli, haveScript, runBinary, Terminal, type BuiltCli } from './binary.js';
import { cli, cliOk, ip } from './cli.js';

const PROMPT = /netns-ts(\[[^\]]*\])?> $/;

describeKernel('the netns-ts binary', () => {
  let built: BuiltCli;

  beforeAll(() => {
    built = buildCli();
  }, 120_000);

  afterAll(() => built?.remove());

  describe('one command per process', () => {
    const ns = randomName('bin');
    afterAll(() => {
      runBinary(built.main, ['ip', 'netns', 'del', ns]);
    });

    it('runs a command: status 0, ip -j JSON on stdout', () => {
      expect(runBinary(built.main, ['ip', 'netns', 'add', ns]).status).toBe(0);
      expect(runBinary(built.main, ['ip', '-n', ns, 'link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1']).status).toBe(0);
      const r = runBinary(built.main, ['ip', '-n', ns, '-j', 'link', 'show']);
      expect(r.status).toBe(0);
      expect(JSON.parse(r.stdout)).toEqual(JSON.parse(ip('-n', ns, '-j', 'link', 'show')));
      expect(r.stderr).toBe('');
    });

    it('runs from its one-file bundle (a code cache per kind of command), and the same from its modules', () => {
      const cacheOf = (kind: string): string => join(built.dir, 'dist', 'cli', `netns-ts.bundle.cjs.${kind}.v8-cache`);
      const bundled = runBinary(built.main, ['ip', '-n', ns, '-j', 'link', 'show']);
      expect(bundled.status).toBe(0);
      // Written by the bundle loader after the run: proof the bundle ran (the modules write none).
      expect(statSync(cacheOf('ip')).size).toBeGreaterThan(0);
      expect(() => statSync(cacheOf('nft'))).toThrow();
      // With the cache, again; then from the modules.
      expect(runBinary(built.main, ['ip', '-n', ns, '-j', 'link', 'show']).stdout).toBe(bundled.stdout);
      const modules = runBinary(built.main, ['ip', '-n', ns, '-j', 'link', 'show'], undefined, { NETNS_TS_BUNDLE: '0' });
      expect(modules.status).toBe(0);
      expect(modules.stdout).toBe(bundled.stdout);
      expect(runBinary(built.main, ['nft', 'list', 'tables']).status).toBe(0);
      expect(statSync(cacheOf('nft')).size).toBeGreaterThan(0);
    });

    it('the commands loaded on first use (nft, iptables, decode, demo) run from the bundle too', () => {
      expect(runBinary(built.main, ['nft', 'list', 'tables'])).toMatchObject({ status: 0, stderr: '' });
      expect(runBinary(built.main, ['iptables', '-t', 'nat', '-L'])).toMatchObject({ status: 0, stderr: '' });
      const decoded = runBinary(built.main, ['decode', '1400000003000000010000000000000000000000']);
      expect(decoded).toMatchObject({ status: 0, stderr: '' });
      expect(decoded.stdout).toContain('NLMSG_DONE');
      const demo = runBinary(built.main, ['demo', '--help']);
      expect(demo).toMatchObject({ status: 0, stderr: '' });
      expect(demo.stdout).toMatch(/^usage: netns-ts demo/);
    });

    it('a reader that goes away ends the command quietly (no EPIPE trace, status 0)', () => {
      // `true` exits without reading, so the binary's writes, which come after the dump, find
      // the pipe closed (before the fix: an "Error: write EPIPE" trace and status 1).
      const r = spawnSync('bash', ['-o', 'pipefail', '-c', `${JSON.stringify(process.execPath)} ${JSON.stringify(built.main)} ip -s link show | true`], { encoding: 'utf8' });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
    });

    it('a refused command: status 1, one line on stderr naming the words and the kernel reason', () => {
      const r = runBinary(built.main, ['ip', '-n', ns, 'link', 'set', 'v0', 'mtu', '70000']);
      expect(r.status).toBe(1);
      expect(r.stderr).toBe('netns-ts: ip link set: mtu 70000: mtu greater than device maximum (kernel: EINVAL)\n');
      expect(r.stdout).toBe('');
    });

    it('a command line that cannot run: status 2', () => {
      const r = runBinary(built.main, ['ip', 'link', 'frob']);
      expect(r.status).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    });

    it('stdin that is not a terminal is a batch (line numbers on error)', () => {
      const r = runBinary(built.main, ['-n', ns], 'link set v0 up\n# comment\nlink set v0 mtu 70000\nlink set v0 down\n');
      expect(r.status).toBe(1);
      expect(r.stderr).toBe('netns-ts: line 3: ip link set: mtu 70000: mtu greater than device maximum (kernel: EINVAL)\n');
      // Stopped at line 3: v0 is still up.
      expect(JSON.parse(ip('-n', ns, '-j', 'link', 'show', 'v0'))[0].flags).toContain('UP');
    });

    it('--trace goes to stderr; stdout stays the JSON', () => {
      const r = runBinary(built.main, ['--trace=hex', 'ip', '-n', ns, '-j', 'link', 'show', 'lo']);
      expect(r.status).toBe(0);
      expect(JSON.parse(r.stdout)[0].ifname).toBe('lo');
      expect(r.stderr).toMatch(/^send RTM_GETLINK flags=REQUEST\|DUMP/m);
      expect(r.stderr).toMatch(/^recv NLMSG_DONE flags=MULTI/m);
      expect(r.stderr).toMatch(/^ {4}0000 {2}[0-9a-f]{2} [0-9a-f]{2}/m);
    });
  });

  describe('the REPL on a terminal', () => {
    let home: string;
    const link = randomName('rl').slice(0, 12);
    const ns = randomName('rns');

    beforeAll(async () => {
      if (!haveScript()) throw new Error('script(1) from util-linux is needed for the terminal tests');
      home = mkdtempSync(join(tmpdir(), 'netns-ts-home-'));
      await cliOk('ip', 'link', 'add', link, 'type', 'veth', 'peer', 'name', `${link}p`);
      await cliOk('ip', 'netns', 'add', ns);
    });

    afterAll(async () => {
      await cli('ip', 'link', 'del', link);
      await cli('ip', 'netns', 'del', ns);
      rmSync(home, { recursive: true, force: true });
    });

    const start = async (): Promise<Terminal> => {
      const t = new Terminal(built.main, { HOME: home, NETNS_TS_HISTORY: '' });
      await t.waitFor(PROMPT);
      return t;
    };

    it('completes names with TAB, keeps going after an error, and saves history with mode 0600', async () => {
      const t = new Terminal(built.main, { HOME: home });
      try {
        await t.waitFor(PROMPT);
        // The interface name is only complete after TAB: `ip link show <prefix>` alone would fail.
        let from = t.output.length;
        t.type(`ip link show ${link.slice(0, -2)}`);
        await t.waitFor(link.slice(0, -2), from);
        from = t.output.length;
        t.type('\t');
        await t.waitFor(link.slice(-2), from);
        const shown = await t.line('', PROMPT);
        expect(shown).toMatch(new RegExp(`\\d+: ${link}@${link}p: <`));

        const failed = await t.line('ip link add x mtu 10 type veth peer name y');
        expect(failed).toContain('netns-ts: ip link add: mtu 10: must be an integer from 68 to 2147483647');
        expect(failed.split('\n').filter((l) => l.startsWith('netns-ts:'))).toHaveLength(1);

        const after = await t.line('link show lo');
        expect(after).toContain('1: lo: <LOOPBACK');

        // Namespace names complete too, and .netns puts the namespace in the prompt.
        from = t.output.length;
        t.type(`.netns ${ns.slice(0, -3)}\t`);
        await t.waitFor(ns, from);
        const switched = await t.line('', new RegExp(`netns-ts\\[${ns}\\]> $`));
        expect(switched).toContain(`netns-ts[${ns}]>`);
        expect(await t.line('ip -j link show', /netns-ts\[[^\]]+\]> $/)).toMatch(/"ifname":"lo"/);
        await t.line('.netns -');

        t.type('.exit\r');
        expect(await t.exited).toBe(0);
      } finally {
        t.kill();
      }
      const file = join(home, '.netns_ts_history');
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const history = readFileSync(file, 'utf8');
      expect(history).toContain(`ip link show ${link}\n`);
      expect(history).toContain('link show lo\n');
    });

    it('recalls the previous session\'s history with the Up arrow', async () => {
      const t = new Terminal(built.main, { HOME: home });
      try {
        await t.waitFor(PROMPT);
        let from = t.output.length;
        // Up: the last line of the last session (.exit); Up again: the one before it.
        t.type('\x1b[A');
        await t.waitFor('.exit', from);
        from = t.output.length;
        t.type('\x1b[A');
        await t.waitFor('.netns -', from);
        // Down: back to .exit, which runs: the REPL leaves.
        t.type('\x1b[B\r');
        expect(await t.exited).toBe(0);
      } finally {
        t.kill();
      }
    });

    it('Ctrl-C stops ip monitor and the REPL goes on; .trace on prints decoded messages', async () => {
      const t = await start();
      try {
        const from = t.output.length;
        t.type('ip monitor link\r');
        await new Promise((r) => setTimeout(r, 1500));
        await cliOk('ip', 'link', 'set', link, 'mtu', '1400');
        await t.waitFor(new RegExp(`${link}@${link}p: .* mtu 1400`), from);
        t.type('\x03');
        await t.waitFor(PROMPT, t.output.length - 12);
        expect(await t.line('.trace on')).toContain('trace on');
        const traced = await t.line('ip link show lo');
        expect(traced).toMatch(/send RTM_GETLINK flags=REQUEST\|DUMP seq=\d+ pid=\d+/);
        expect(traced).toContain('ifname: "lo"');
        expect(await t.line('.trace off')).toContain('trace off');
        expect(await t.line('.decode 2000000010000500000000000000000000000000000000000000000000000000')).toContain('RTM_NEWLINK flags=REQUEST|ACK seq=0 pid=0');
        expect(await t.line('.nonsense')).toContain('netns-ts: .nonsense: unknown REPL command (try .help)');
        t.type('\x04');
        expect(await t.exited).toBe(0);
      } finally {
        t.kill();
      }
    });
  });
});
