import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CniError } from '../../../src/cni/errors.js';
import { delegate, execPlugin, findPlugin, pluginVersions, type PluginExec, type PluginRun } from '../../../src/cni/ipam.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'netns-ts-cni-ipam-'));
  // A fake IPAM plugin: echoes its command and stdin back as a result, as a real one answers.
  writeFileSync(
    join(dir, 'fake-ipam'),
    `#!/bin/sh
input=$(cat)
case "$CNI_COMMAND" in
  ADD) printf '{"cniVersion":"1.0.0","ips":[{"address":"10.9.0.7/24","gateway":"10.9.0.1"}],"routes":[{"dst":"0.0.0.0/0"}],"dns":{"nameservers":["10.9.0.53"]}}' ;;
  DEL) [ -n "$input" ] && exit 0 ;;
  *) printf '{"cniVersion":"1.0.0","code":4,"msg":"unknown CNI_COMMAND: %s"}' "$CNI_COMMAND"; exit 1 ;;
esac
`,
  );
  chmodSync(join(dir, 'fake-ipam'), 0o755);
  writeFileSync(join(dir, 'not-executable'), '');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const conf = JSON.stringify({ cniVersion: '1.1.0', name: 'n', type: 'netns-ts-cni', ipam: { type: 'fake-ipam' } });

/** A scripted plugin: answers each call with the next run, recording what it was given. */
function scripted(runs: PluginRun[]): { exec: PluginExec; calls: Array<{ path: string; stdin: string; command: string | undefined }> } {
  const calls: Array<{ path: string; stdin: string; command: string | undefined }> = [];
  return {
    calls,
    exec: async (path, stdin, env) => {
      calls.push({ path, stdin, command: env.CNI_COMMAND });
      const run = runs.shift();
      if (!run) throw new Error('unexpected call');
      return run;
    },
  };
}

describe('IPAM delegation', () => {
  it('runs the real plugin found in CNI_PATH with the same stdin and environment', async () => {
    const result = await delegate({ type: 'fake-ipam', cniPath: ['/nonexistent', dir], stdin: conf, env: { PATH: process.env.PATH } }, 'ADD');
    expect(result).toEqual({ cniVersion: '1.0.0', ips: [{ address: '10.9.0.7/24', gateway: '10.9.0.1' }], routes: [{ dst: '0.0.0.0/0' }], dns: { nameservers: ['10.9.0.53'] } });
    expect(await delegate({ type: 'fake-ipam', cniPath: [dir], stdin: conf, env: { PATH: process.env.PATH } }, 'DEL')).toBeUndefined();
    const run = await execPlugin(join(dir, 'fake-ipam'), conf, { PATH: process.env.PATH, CNI_COMMAND: 'STATUS' });
    expect(run.exitCode).toBe(1);
  });

  it("passes the plugin's own error on (code and message kept)", async () => {
    const err = await delegate({ type: 'fake-ipam', cniPath: [dir], stdin: conf, env: { PATH: process.env.PATH } }, 'STATUS').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CniError);
    expect(err).toMatchObject({ code: 4, message: 'IPAM plugin fake-ipam: unknown CNI_COMMAND: STATUS' });
  });

  it('says which plugin is missing (7) or that CNI_PATH is empty (4)', () => {
    expect(() => findPlugin('nope', [dir])).toThrow('IPAM plugin "nope" not found in CNI_PATH');
    expect(() => findPlugin('not-executable', [dir])).toThrow(CniError);
    let err: unknown;
    try {
      findPlugin('fake-ipam', []);
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ code: 4, details: 'CNI_PATH' });
  });

  it('reports output that is not a result as a decoding failure (6), and a result without IPs as a failure', async () => {
    const junk = scripted([{ exitCode: 0, stdout: 'not json', stderr: '' }]);
    await expect(delegate({ type: 'fake-ipam', cniPath: [dir], stdin: conf, env: {}, exec: junk.exec }, 'ADD')).rejects.toMatchObject({ code: 6 });
    const empty = scripted([{ exitCode: 0, stdout: '{"cniVersion":"1.0.0","ips":[]}', stderr: '' }]);
    await expect(delegate({ type: 'fake-ipam', cniPath: [dir], stdin: conf, env: {}, exec: empty.exec }, 'ADD')).rejects.toThrow('returned no IP addresses');
    const crash = scripted([{ exitCode: 2, stdout: '', stderr: 'panic: boom' }]);
    await expect(delegate({ type: 'fake-ipam', cniPath: [dir], stdin: conf, env: {}, exec: crash.exec }, 'DEL')).rejects.toMatchObject({ code: 101, details: 'panic: boom' });
  });

  it('repeats a call refused for its version (1) in the newest version both speak', async () => {
    const p = scripted([
      { exitCode: 1, stdout: '{"code":1,"msg":"incompatible CNI versions"}', stderr: '' },
      { exitCode: 0, stdout: '{"cniVersion":"1.0.0","supportedVersions":["0.3.1","0.4.0","1.0.0"]}', stderr: '' },
      { exitCode: 0, stdout: '', stderr: '' },
    ]);
    const withPrev = JSON.stringify({ ...JSON.parse(conf), prevResult: { cniVersion: '1.1.0', ips: [] } });
    await delegate({ type: 'fake-ipam', cniPath: [dir], stdin: withPrev, env: {}, exec: p.exec }, 'DEL');
    expect(p.calls.map((c) => c.command)).toEqual(['DEL', 'VERSION', 'DEL']);
    expect(JSON.parse(p.calls[2]!.stdin)).toMatchObject({ cniVersion: '1.0.0', prevResult: { cniVersion: '1.0.0' } });
    // No common version: the original error stands.
    const none = scripted([
      { exitCode: 1, stdout: '{"code":1,"msg":"incompatible CNI versions"}', stderr: '' },
      { exitCode: 0, stdout: '{"supportedVersions":["0.1.0"]}', stderr: '' },
    ]);
    await expect(delegate({ type: 'fake-ipam', cniPath: [dir], stdin: conf, env: {}, exec: none.exec }, 'DEL')).rejects.toMatchObject({ code: 1 });
  });

  it("reads a plugin's supported versions", async () => {
    const p = scripted([{ exitCode: 0, stdout: '{"cniVersion":"1.1.0","supportedVersions":["1.0.0","1.1.0"]}', stderr: '' }]);
    expect(await pluginVersions({ type: 'fake-ipam', cniPath: [dir], stdin: conf, env: {}, exec: p.exec })).toEqual(['1.0.0', '1.1.0']);
    const broken = scripted([{ exitCode: 1, stdout: '', stderr: '' }]);
    expect(await pluginVersions({ type: 'fake-ipam', cniPath: [dir], stdin: conf, env: {}, exec: broken.exec })).toBeUndefined();
  });
});
