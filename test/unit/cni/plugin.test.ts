/**
 * The plugin as a runtime sees it — environment and stdin in, stdout JSON and exit status out
 * — for everything decided before the kernel is touched: VERSION, and every refusal, each
 * with the spec's error code and the configuration's cniVersion.
 */
import { describe, expect, it } from 'vitest';
import { runPlugin } from '../../../src/cni/plugin.js';

const env = { CNI_COMMAND: 'ADD', CNI_CONTAINERID: 'c1', CNI_NETNS: '/run/netns/does-not-exist-cni-unit', CNI_IFNAME: 'eth0', CNI_PATH: '/usr/lib/cni' };
const conf = { cniVersion: '1.0.0', name: 'kubenet', type: 'netns-ts-cni', ipam: { type: 'host-local', subnet: '10.22.0.0/16' } };

async function run(e: Record<string, string>, stdin: unknown): Promise<{ exitCode: number; json: any; stdout: string }> {
  const out = await runPlugin({ env: e, stdin: typeof stdin === 'string' || stdin instanceof Error ? stdin : JSON.stringify(stdin) });
  return { exitCode: out.exitCode, stdout: out.stdout, json: out.stdout === '' ? undefined : JSON.parse(out.stdout) };
}

describe('the plugin entry point', () => {
  it('answers VERSION with the versions it supports, with or without a configuration', async () => {
    expect(await run({ CNI_COMMAND: 'VERSION' }, { cniVersion: '0.4.0' })).toEqual({
      exitCode: 0,
      stdout: '{"cniVersion":"0.4.0","supportedVersions":["0.3.0","0.3.1","0.4.0","1.0.0","1.1.0"]}',
      json: { cniVersion: '0.4.0', supportedVersions: ['0.3.0', '0.3.1', '0.4.0', '1.0.0', '1.1.0'] },
    });
    expect((await run({ CNI_COMMAND: 'VERSION' }, '')).json.cniVersion).toBe('1.1.0');
  });

  it('reports each refusal as the spec error object on stdout with a failing status', async () => {
    const cases: Array<[Record<string, string>, unknown, number, string]> = [
      [{ ...env, CNI_COMMAND: 'FROB' }, conf, 4, 'CNI_COMMAND is "FROB"'],
      [{ CNI_COMMAND: 'ADD' }, conf, 4, 'required environment variables missing'],
      [env, '{ not json', 6, 'not valid JSON'],
      [env, new Error('EIO: i/o error'), 5, 'cannot read the network configuration from stdin'],
      [env, { ...conf, cniVersion: '2.0.0' }, 1, 'incompatible CNI version "2.0.0"'],
      [{ ...env, CNI_COMMAND: 'CHECK' }, { ...conf, cniVersion: '0.3.1' }, 1, 'CHECK is not part of CNI 0.3.1'],
      [{ ...env, CNI_COMMAND: 'GC' }, conf, 1, 'GC is not part of CNI 1.0.0'],
      [env, { ...conf, vlan: 7 }, 2, 'vlan=7 is not supported'],
      [env, { ...conf, mtu: 'big' }, 7, 'mtu'],
      [env, { ...conf, ipam: {} }, 7, 'ipam.type is required'],
      [{ ...env, CNI_COMMAND: 'CHECK' }, conf, 7, 'CHECK needs prevResult'],
      [{ ...env, CNI_COMMAND: 'GC', CNI_PATH: '/usr/lib/cni' }, { ...conf, cniVersion: '1.1.0' }, 7, 'GC needs cni.dev/valid-attachments'],
      [env, conf, 3, "the container's network namespace /run/netns/does-not-exist-cni-unit does not exist"],
    ];
    for (const [e, stdin, code, msg] of cases) {
      const out = await run(e, stdin);
      expect(out.exitCode, msg).toBe(1);
      expect(out.json.code, `${msg}: ${out.stdout}`).toBe(code);
      expect(out.json.msg, out.stdout).toContain(msg);
      const asked = typeof stdin === 'object' && stdin !== null && 'cniVersion' in stdin ? (stdin as { cniVersion: string }).cniVersion : undefined;
      expect(out.json.cniVersion).toBe(asked === '1.0.0' || asked === '0.3.1' || asked === '1.1.0' ? asked : '1.1.0');
    }
  });
});
