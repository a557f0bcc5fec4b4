import { describe, expect, it } from 'vitest';
import { parseCniArgs, readEnvironment } from '../../../src/cni/environment.js';
import { errorOf } from './cni-error.js';

const base = { CNI_COMMAND: 'ADD', CNI_CONTAINERID: 'abc123', CNI_NETNS: '/var/run/netns/cni-1', CNI_IFNAME: 'eth0', CNI_PATH: '/opt/cni/bin:/usr/lib/cni' };

describe('the CNI environment', () => {
  it('reads a complete ADD environment', () => {
    expect(readEnvironment({ ...base, CNI_ARGS: 'IgnoreUnknown=1;K8S_POD_NAME=web-0' })).toEqual({
      command: 'ADD',
      containerId: 'abc123',
      netns: '/var/run/netns/cni-1',
      ifname: 'eth0',
      args: [['IgnoreUnknown', '1'], ['K8S_POD_NAME', 'web-0']],
      path: ['/opt/cni/bin', '/usr/lib/cni'],
    });
  });

  it('names every missing variable the command requires (error 4)', () => {
    const e = errorOf(() => readEnvironment({ CNI_COMMAND: 'ADD' }));
    expect(e.code).toBe(4);
    expect(e.message).toBe('required environment variables missing: CNI_CONTAINERID, CNI_NETNS, CNI_IFNAME');
    expect(errorOf(() => readEnvironment({ CNI_COMMAND: 'DEL', CNI_IFNAME: 'eth0' })).details).toBe('CNI_CONTAINERID');
    expect(errorOf(() => readEnvironment({ CNI_COMMAND: 'GC' })).details).toBe('CNI_PATH');
    expect(errorOf(() => readEnvironment({ CNI_COMMAND: 'STATUS', CNI_PATH: '' })).details).toBe('CNI_PATH');
  });

  it('accepts DEL without CNI_NETNS (the namespace may be gone) and VERSION with nothing', () => {
    expect(readEnvironment({ CNI_COMMAND: 'DEL', CNI_CONTAINERID: 'x', CNI_IFNAME: 'eth0', CNI_NETNS: '' }).netns).toBeUndefined();
    expect(readEnvironment({ CNI_COMMAND: 'VERSION' })).toEqual({ command: 'VERSION', args: [], path: [] });
  });

  it('refuses an unknown command, a malformed container id, interface name or namespace path', () => {
    expect(errorOf(() => readEnvironment({ ...base, CNI_COMMAND: 'INIT' })).message).toContain('want one of ADD, DEL, VERSION, CHECK, GC, STATUS');
    expect(errorOf(() => readEnvironment({ ...base, CNI_CONTAINERID: '-leading-dash' })).details).toBe('CNI_CONTAINERID');
    expect(errorOf(() => readEnvironment({ ...base, CNI_IFNAME: 'a-very-long-ifname0' })).message).toContain('at most 15 allowed');
    expect(errorOf(() => readEnvironment({ ...base, CNI_IFNAME: 'eth/0' })).details).toBe('CNI_IFNAME');
    expect(errorOf(() => readEnvironment({ ...base, CNI_NETNS: 'relative/path' })).details).toBe('CNI_NETNS');
    for (const e of [errorOf(() => readEnvironment({ ...base, CNI_IFNAME: '..' })), errorOf(() => readEnvironment({ ...base, CNI_COMMAND: '' }))]) expect(e.code).toBe(4);
  });

  it('parses CNI_ARGS as KEY=VALUE pairs and refuses anything else', () => {
    expect(parseCniArgs('A=1;;B=')).toEqual([['A', '1'], ['B', '']]);
    expect(parseCniArgs(undefined)).toEqual([]);
    expect(errorOf(() => parseCniArgs('novalue')).details).toBe('CNI_ARGS');
    expect(errorOf(() => parseCniArgs('=x')).code).toBe(4);
    expect(errorOf(() => parseCniArgs('A=has space')).code).toBe(4);
  });
});
