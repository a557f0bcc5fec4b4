import { describe, expect, it } from 'vitest';
import { decodeConfig, parseConfig, DEFAULT_DATA_DIR } from '../../../src/cni/config.js';
import { errorOf } from './cni-error.js';

const minimal = { cniVersion: '1.0.0', name: 'kubenet', type: 'netns-ts-cni', ipam: { type: 'host-local', subnet: '10.22.0.0/16' } };

describe('the network configuration', () => {
  it("fills in the reference bridge plugin's defaults", () => {
    const c = parseConfig(minimal);
    expect(c).toMatchObject({
      cniVersion: '1.0.0', name: 'kubenet', bridge: 'cni0', isGateway: false, isDefaultGateway: false, ipMasq: false, hairpinMode: false,
      promiscMode: false, enableDad: false, macspoofchk: false, snat: true, dataDir: DEFAULT_DATA_DIR, portMappings: [], ipam: { type: 'host-local' },
    });
    expect(c.mtu).toBeUndefined();
    expect(parseConfig({ ...minimal, isDefaultGateway: true }).isGateway).toBe(true);
  });

  it('reads the options a conflist sets and the runtime adds', () => {
    const c = parseConfig({
      ...minimal, bridge: 'br-pods', mtu: 1450, ipMasq: true, hairpinMode: true, promiscMode: true, enabledad: true, macspoofchk: true, snat: false,
      dataDir: '/tmp/x', dns: { nameservers: ['10.96.0.10'], search: ['svc.cluster.local'] },
      runtimeConfig: { portMappings: [{ hostPort: 8080, containerPort: 80, protocol: 'TCP', hostIP: '0.0.0.0' }, { hostPort: 53, containerPort: 53, protocol: 'udp', hostIP: '192.0.2.1' }], mac: '02:00:00:00:00:2a' },
      prevResult: { cniVersion: '1.0.0', ips: [{ address: '10.22.0.5/16', interface: 0 }], interfaces: [{ name: 'eth0', sandbox: '/proc/1/ns/net' }] },
      'cni.dev/valid-attachments': [{ containerID: 'a', ifname: 'eth0' }],
    });
    expect(c).toMatchObject({ bridge: 'br-pods', mtu: 1450, ipMasq: true, hairpinMode: true, promiscMode: true, enableDad: true, macspoofchk: true, snat: false, dataDir: '/tmp/x', mac: '02:00:00:00:00:2a' });
    expect(c.dns).toEqual({ nameservers: ['10.96.0.10'], search: ['svc.cluster.local'] });
    // 0.0.0.0 means every host address; protocols are case-insensitive.
    expect(c.portMappings).toEqual([{ hostPort: 8080, containerPort: 80, protocol: 'tcp' }, { hostPort: 53, containerPort: 53, protocol: 'udp', hostIP: '192.0.2.1' }]);
    expect(c.prevResult?.ips).toEqual([{ address: '10.22.0.5/16', interface: 0 }]);
    expect(c.validAttachments).toEqual([{ containerID: 'a', ifname: 'eth0' }]);
    expect(parseConfig({ ...minimal, 'cni.dev/attachments': [] }).validAttachments).toEqual([]);
  });

  it('refuses options this kernel or plugin cannot honour with error 2, naming key and value', () => {
    expect(errorOf(() => parseConfig({ ...minimal, vlan: 100 }))).toMatchObject({ code: 2, details: 'vlan=100' });
    expect(errorOf(() => parseConfig({ ...minimal, vlanTrunk: [{ id: 5 }] })).code).toBe(2);
    expect(errorOf(() => parseConfig({ ...minimal, ipMasqBackend: 'iptables' })).details).toBe('ipMasqBackend="iptables"');
    expect(errorOf(() => parseConfig({ ...minimal, conditionsV4: ['-s', '1.2.3.4'] })).code).toBe(2);
    expect(errorOf(() => parseConfig({ ...minimal, runtimeConfig: { portMappings: [{ hostPort: 1, containerPort: 1, protocol: 'sctp' }] } })).code).toBe(2);
    // ... but vlan 0 and ipMasqBackend nftables are what it does anyway.
    expect(parseConfig({ ...minimal, vlan: 0, ipMasqBackend: 'nftables' }).name).toBe('kubenet');
  });

  it('refuses bad values with error 7 naming the key', () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ name: 'has space' }, 'name'],
      [{ name: '' }, 'name'],
      [{ bridge: 'br/0' }, 'bridge'],
      [{ bridge: 'sixteen-bytes-xx' }, 'bridge'],
      [{ mtu: 20 }, 'mtu'],
      [{ ipMasq: 'yes' }, 'ipMasq'],
      [{ macspoofchk: 1 }, 'macspoofchk'],
      [{ dataDir: 'relative' }, 'dataDir'],
      [{ ipam: { type: '../evil' } }, 'ipam.type'],
      [{ vlan: 5000 }, 'vlan'],
      [{ runtimeConfig: { portMappings: [{ hostPort: 0, containerPort: 80 }] } }, 'runtimeConfig.portMappings[0].hostPort'],
      [{ runtimeConfig: { portMappings: [{ hostPort: 80, containerPort: 70000 }] } }, 'runtimeConfig.portMappings[0].containerPort'],
      [{ runtimeConfig: { portMappings: [{ hostPort: 80, containerPort: 80, hostIP: '1.2.3' }] } }, 'runtimeConfig.portMappings[0].hostIP'],
      [{ runtimeConfig: { portMappings: [{ hostPort: 80, containerPort: 80 }, { hostPort: 80, containerPort: 81, protocol: 'tcp' }] } }, 'maps tcp port 80 again'],
      [{ runtimeConfig: { mac: 'ff:ff:ff:ff:ff:ff' } }, 'runtimeConfig.mac'],
      [{ 'cni.dev/valid-attachments': [{ containerID: 1 }] }, 'cni.dev/valid-attachments[0]'],
    ];
    for (const [extra, key] of cases) {
      const e = errorOf(() => parseConfig({ ...minimal, ...extra }));
      expect(e.code, key).toBe(7);
      expect(e.message, key).toContain(key);
    }
  });

  it('refuses an unknown CNI version (error 1), an undecodable prevResult (6) and bad JSON (6)', () => {
    expect(errorOf(() => parseConfig({ ...minimal, cniVersion: '0.2.0' }))).toMatchObject({ code: 1, details: 'this plugin supports 0.3.0, 0.3.1, 0.4.0, 1.0.0, 1.1.0' });
    expect(errorOf(() => parseConfig({ ...minimal, prevResult: { ips: [{ address: 'nope' }] } }))).toMatchObject({ code: 6 });
    expect(errorOf(() => parseConfig({ ...minimal, prevResult: { ips: [{ address: 'nope' }] } })).message).toContain('prevResult.ips[0].address');
    expect(errorOf(() => decodeConfig('{"cniVersion":')).code).toBe(6);
    expect(errorOf(() => decodeConfig('[1]')).code).toBe(6);
  });
});
