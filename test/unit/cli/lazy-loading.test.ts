/**
 * A one-shot `ip …` command loads only what it runs: the nft language (compiler, renderer,
 * nf_tables layer) and `decode` are imported on demand by the dispatcher, which took about a
 * third off the binary's start-up. Checked on the compiled binary (scripts/test.mjs builds
 * dist/ first) run from its modules (NETNS_TS_BUNDLE=0: the one-file bundle has no modules to
 * list), with a module loader hook that lists every module of the package it loads.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const MAIN = join(ROOT, 'dist', 'cli', 'main.js');
const work = mkdtempSync(join(tmpdir(), 'netns-ts-lazy-'));
const hook = join(work, 'list-loads.mjs');
writeFileSync(hook, `export async function load(url, context, next) {
  if (url.includes('/dist/')) process.stderr.write('LOADED ' + url.split('/dist/')[1] + '\\n');
  return next(url, context);
}
`);
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The package modules the binary loads for these arguments (paths under dist/). */
function modulesLoadedBy(args: string[]): { status: number | null; modules: string[] } {
  const r = spawnSync(process.execPath, ['--no-warnings', `--experimental-loader=${pathToFileURL(hook).href}`, MAIN, ...args], {
    encoding: 'utf8',
    env: { ...process.env, NETNS_TS_BUNDLE: '0' },
  });
  const modules = r.stderr.split('\n').filter((l) => l.startsWith('LOADED ')).map((l) => l.slice('LOADED '.length));
  return { status: r.status, modules };
}

describe('the netns-ts binary loads the nft language only for nft commands', () => {
  it('`ip -j link show` runs without loading any nf_tables or nft-language module', () => {
    const { status, modules } = modulesLoadedBy(['ip', '-j', 'link', 'show']);
    expect(status).toBe(0);
    // The hook saw the modules the command does run (so an empty list cannot pass by accident).
    expect(modules).toContain('cli/ip/link-run.js');
    expect(modules.filter((m) => m.startsWith('nft/') || m.startsWith('cli/nft/') || m.startsWith('cli/iptables/'))).toEqual([]);
  });

  it('`decode` loads the protocol codecs it needs, nf_tables included', () => {
    // An RTM_GETLINK dump request (nlmsghdr + empty ifinfomsg): decoding needs no privilege.
    const { status, modules } = modulesLoadedBy(['decode', `2000000012000103${'0'.repeat(16)}${'0'.repeat(32)}`]);
    expect(status).toBe(0);
    expect(modules).toContain('cli/decode.js');
    expect(modules.some((m) => m.startsWith('nft/'))).toBe(true);
  });
});
