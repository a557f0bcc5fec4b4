import { describe, expect, it } from 'vitest';
import { CniError } from '../../../src/cni/errors.js';
import { mergeResult, parseResult, resultJson, type CniResult } from '../../../src/cni/result.js';
import { checkCommandInVersion, compareVersions, versionInfo } from '../../../src/cni/versions.js';

const result: CniResult = {
  cniVersion: '1.1.0',
  interfaces: [{ name: 'cni0', mac: '02:00:00:00:00:01' }, { name: 'veth0', mac: '02:00:00:00:00:02' }, { name: 'eth0', mac: '02:00:00:00:00:03', mtu: 1450, sandbox: '/run/netns/p' }],
  ips: [{ address: '10.22.0.5/16', gateway: '10.22.0.1', interface: 2 }, { address: 'fd00::5/64', interface: 2 }],
  routes: [{ dst: '0.0.0.0/0', gw: '10.22.0.1', mtu: 1400, priority: 5 }],
  dns: { nameservers: ['10.96.0.10'] },
};

describe('CNI results', () => {
  it('are written in the shape of the configuration version', () => {
    expect(resultJson(result, '1.1.0')).toEqual({ ...result, cniVersion: '1.1.0' });
    const v100 = resultJson(result, '1.0.0') as any;
    expect(v100.interfaces[2]).toEqual({ name: 'eth0', mac: '02:00:00:00:00:03', sandbox: '/run/netns/p' });
    expect(v100.routes).toEqual([{ dst: '0.0.0.0/0', gw: '10.22.0.1' }]);
    expect(v100.ips[0]).toEqual({ address: '10.22.0.5/16', gateway: '10.22.0.1', interface: 2 });
    const v040 = resultJson(result, '0.4.0') as any;
    expect(v040.ips.map((ip: any) => ip.version)).toEqual(['4', '6']);
    expect(resultJson({ cniVersion: '1.0.0' }, '1.0.0')).toEqual({ cniVersion: '1.0.0', ips: [], dns: {} });
  });

  it('parse from any supported version, and back', () => {
    const old = { cniVersion: '0.4.0', interfaces: [{ name: 'eth0', sandbox: '/proc/9/ns/net' }], ips: [{ version: '4', address: '10.1.0.2/24', gateway: '10.1.0.1', interface: 0 }], routes: [{ dst: '0.0.0.0/0' }], dns: {} };
    expect(parseResult(old)).toEqual({ cniVersion: '0.4.0', interfaces: [{ name: 'eth0', sandbox: '/proc/9/ns/net' }], ips: [{ address: '10.1.0.2/24', gateway: '10.1.0.1', interface: 0 }], routes: [{ dst: '0.0.0.0/0' }], dns: {} });
    expect(parseResult(resultJson(result, '1.1.0'))).toEqual(result);
  });

  it('refuse undecodable fields with error 6 and the field path', () => {
    const cases: Array<[unknown, string]> = [
      ['text', 'result'],
      [{ ips: {} }, 'result.ips'],
      [{ ips: [{ address: '10.0.0.1/33' }] }, 'result.ips[0].address'],
      [{ ips: [{ address: '10.0.0.1/8', gateway: 'x' }] }, 'result.ips[0].gateway'],
      [{ ips: [{ address: '10.0.0.1/8', interface: -1 }] }, 'result.ips[0].interface'],
      [{ routes: [{ dst: 'default' }] }, 'result.routes[0].dst'],
      [{ routes: [{ dst: '0.0.0.0/0', mtu: 'big' }] }, 'result.routes[0].mtu'],
      [{ interfaces: [{ mac: 'x' }] }, 'result.interfaces[0].name'],
      [{ dns: { nameservers: 'x' } }, 'result.dns.nameservers'],
    ];
    for (const [value, path] of cases) {
      let err: unknown;
      try {
        parseResult(value);
      } catch (e) {
        err = e;
      }
      expect(err, path).toBeInstanceOf(CniError);
      expect((err as CniError).code).toBe(6);
      expect((err as CniError).message.startsWith(`${path}:`), (err as Error).message).toBe(true);
    }
  });

  it('chain: ours after the previous plugins, interface indexes shifted, DNS kept unless ours has one', () => {
    const prev: CniResult = { cniVersion: '1.0.0', interfaces: [{ name: 'lo' }], ips: [{ address: '127.0.0.1/8', interface: 0 }], routes: [], dns: { nameservers: ['1.1.1.1'] } };
    const merged = mergeResult(prev, { cniVersion: '1.0.0', interfaces: [{ name: 'cni0' }, { name: 'v' }, { name: 'eth0' }], ips: [{ address: '10.0.0.2/24', interface: 2 }], routes: [{ dst: '0.0.0.0/0' }] });
    expect(merged.interfaces!.map((i) => i.name)).toEqual(['lo', 'cni0', 'v', 'eth0']);
    expect(merged.ips).toEqual([{ address: '127.0.0.1/8', interface: 0 }, { address: '10.0.0.2/24', interface: 3 }]);
    expect(merged.dns).toEqual({ nameservers: ['1.1.1.1'] });
    expect(mergeResult(undefined, prev)).toBe(prev);
  });
});

describe('CNI versions', () => {
  it('compare numerically and gate commands by the version that introduced them', () => {
    expect(compareVersions('0.10.0', '0.4.0')).toBeGreaterThan(0);
    expect(compareVersions('1.0.0', '1.0.0')).toBe(0);
    expect(() => checkCommandInVersion('CHECK', '0.3.1')).toThrow('CHECK is not part of CNI 0.3.1');
    expect(() => checkCommandInVersion('GC', '1.0.0')).toThrow(CniError);
    expect(() => checkCommandInVersion('STATUS', '1.1.0')).not.toThrow();
    expect(() => compareVersions('1.0', '1.0.0')).toThrow('not a CNI version: "1.0"');
  });

  it('VERSION answers in the version asked, or the latest', () => {
    expect(versionInfo('0.4.0')).toEqual({ cniVersion: '0.4.0', supportedVersions: ['0.3.0', '0.3.1', '0.4.0', '1.0.0', '1.1.0'] });
    expect(versionInfo('9.9.9').cniVersion).toBe('1.1.0');
  });
});

describe('errors as CNI errors', () => {
  it('keep CNI errors, call bad input invalid configuration, transient failures "try again later"', async () => {
    const { CniError: E, toCniError, errorJson } = await import('../../../src/cni/errors.js');
    const { ValidationError, NetlinkError } = await import('../../../src/netlink/errors.js');
    const { OptimisticConflictError } = await import('../../../src/nft/optimistic.js');
    const own = new E(3, 'gone', 'why');
    expect(toCniError(own)).toBe(own);
    expect(toCniError(new ValidationError('mtu', 'too small', 1))).toMatchObject({ code: 7, message: 'mtu: too small' });
    expect(toCniError(new OptimisticConflictError(10))).toMatchObject({ code: 11, details: 'OptimisticConflictError' });
    const kernel = new NetlinkError({ errno: 17, code: 'EEXIST', description: 'File exists', request: { type: 16, typeName: 'RTM_NEWLINK', flags: 0, seq: 1 }, attribute: 'ifname' });
    expect(toCniError(kernel)).toMatchObject({ code: 101, message: 'RTM_NEWLINK failed: EEXIST (File exists) (attribute ifname)', details: 'EEXIST; attribute ifname' });
    expect(toCniError('odd')).toMatchObject({ code: 101, message: 'odd' });
    expect(errorJson(new E(4, 'm'), '1.0.0')).toEqual({ cniVersion: '1.0.0', code: 4, msg: 'm' });
  });
});
