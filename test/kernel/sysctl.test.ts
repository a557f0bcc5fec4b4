import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { native } from '../../src/native/binding.js';
import { ValidationError } from '../../src/netlink/errors.js';
import { createNetns, openNetns, sysctlPath, sysctlRead, sysctlWrite } from '../../src/netns/index.js';
import { describeKernel, guardThreadNetns, randomName, scratchNetnsNames, sh } from './sandbox.js';

const T = 20_000;

describeKernel('sysctl inside a namespace', () => {
  guardThreadNetns();
  const scratch = scratchNetnsNames();
  function fresh(): string {
    const name = scratch();
    createNetns(name);
    return name;
  }
  const inside = (name: string, key: string): string => sh('ip', ['netns', 'exec', name, 'sysctl', '-n', key]).trim();

  it('sysctlWrite changes only the target namespace', () => {
    const a = fresh();
    const b = fresh();
    const own = readFileSync('/proc/sys/net/ipv4/ip_forward', 'utf8').trim();
    expect(inside(a, 'net.ipv4.ip_forward')).toBe('0');

    sysctlWrite(a, 'net.ipv4.ip_forward', '1');
    expect(inside(a, 'net.ipv4.ip_forward')).toBe('1');
    expect(inside(b, 'net.ipv4.ip_forward')).toBe('0');
    expect(readFileSync('/proc/sys/net/ipv4/ip_forward', 'utf8').trim()).toBe(own);
    expect(sysctlRead(a, 'net.ipv4.ip_forward')).toBe('1');
    expect(sysctlRead({ name: b }, 'net/ipv4/ip_forward')).toBe('0');
    expect(sysctlRead(undefined, 'net.ipv4.ip_forward')).toBe(own);

    // Numbers are written as text; by fd works too (borrowed, left open).
    const ns = openNetns(a);
    try {
      sysctlWrite({ fd: ns.fd }, 'net.ipv4.ip_forward', 0);
      expect(inside(a, 'net.ipv4.ip_forward')).toBe('0');
      expect(sysctlRead({ fd: ns.fd }, 'net.ipv4.ip_forward')).toBe('0');
    } finally {
      ns.close();
    }
  }, T);

  it('slash form reaches interfaces whose names contain dots', () => {
    const a = fresh();
    sh('ip', ['-n', a, 'link', 'add', 'v.1', 'type', 'veth', 'peer', 'name', 'v.2']);
    sysctlWrite(a, 'net/ipv4/conf/v.1/forwarding', '1');
    expect(sh('ip', ['netns', 'exec', a, 'cat', '/proc/sys/net/ipv4/conf/v.1/forwarding']).trim()).toBe('1');
    expect(sh('ip', ['netns', 'exec', a, 'cat', '/proc/sys/net/ipv4/conf/v.2/forwarding']).trim()).toBe('0');
    // Multi-value sysctls come back as the kernel prints them, minus the final newline.
    expect(sysctlRead(a, 'net.ipv4.ip_local_port_range')).toMatch(/^\d+\t\d+$/);
  }, T);

  it('kernel refusals keep their errno; unknown keys are ENOENT', () => {
    const a = fresh();
    expect(() => sysctlWrite(a, 'net.ipv4.no_such_knob', '1')).toThrowError(expect.objectContaining({ code: 'ENOENT', syscall: 'open' }));
    expect(() => sysctlWrite(a, 'net.ipv4.ip_forward', 'banana')).toThrowError(expect.objectContaining({ code: 'EINVAL', syscall: 'write' }));
    expect(() => sysctlRead(randomName(), 'net.ipv4.ip_forward')).toThrowError(expect.objectContaining({ code: 'ENOENT' }));
  }, T);

  it('validates keys and values before touching anything', () => {
    expect(sysctlPath('net.ipv4.ip_forward')).toBe('/proc/sys/net/ipv4/ip_forward');
    expect(sysctlPath('net/ipv4/conf/eth0.100/forwarding')).toBe('/proc/sys/net/ipv4/conf/eth0.100/forwarding');
    for (const key of ['', 'net..ipv4', '../etc/passwd', 'net/../../etc/passwd', 'net/./ipv4', 'a b', 'net.ipv4.ip_forward\0', 'net/ipv4/', '.net']) {
      expect(() => sysctlPath(key), JSON.stringify(key)).toThrowError(ValidationError);
      expect(() => sysctlWrite(undefined, key, '1')).toThrowError(ValidationError);
    }
    expect(() => sysctlWrite(undefined, 'net.ipv4.ip_forward', 'x\0y')).toThrowError(ValidationError);
    // The binding checks paths too. These targets do not exist, so a broken check would show
    // up as ENOENT rather than as a write outside /proc/sys.
    for (const path of ['/tmp/netns-ts-no-such-file', '/proc/sys/../../netns-ts-no-such-file', '/proc/sys/net/..', '/proc/sysx/y']) {
      expect(() => native.sysctlWrite(-1, path, '1'), path).toThrowError(expect.objectContaining({ code: 'EINVAL', syscall: 'sysctl' }));
    }
  }, T);
});
