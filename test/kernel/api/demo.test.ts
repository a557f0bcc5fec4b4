import { expect, it } from 'vitest';
import { DEMO_USAGE, runDemo } from '../../../src/api/demo.js';
import { listNetns } from '../../../src/netns/netns.js';
import { describeKernel, guardThreadNetns } from '../sandbox.js';

describeKernel('netns-ts demo', () => {
  guardThreadNetns();
  it('builds the tutorial in its own namespaces, proves every step with traffic, and leaves nothing behind', async () => {
    const lines: string[] = [];
    const code = await runDemo([], (l) => lines.push(l));
    const text = lines.join('\n');
    expect(text).toContain('demo: all checks passed');
    expect(code).toBe(0);
    for (const what of ['red -> blue over the bridge', 'red -> outside world, masqueraded', 'outside -> host:8080 -> blue:80 (port forward)', 'red -> host:8080 -> blue:80 (hairpin)']) {
      expect(text).toMatch(new RegExp(`^ok +${what.replace(/[()>]/g, '\\$&')}`, 'm'));
    }
    expect(text).toContain('demo-world saw the connection come from 10.99.0.2');
    expect(listNetns().filter((n) => ['red', 'blue', 'demo-host', 'demo-world'].includes(n))).toEqual([]);
  }, 60_000);

  it('--help prints its usage; unknown arguments are refused before anything is built', async () => {
    const lines: string[] = [];
    expect(await runDemo(['--help'], (l) => lines.push(l))).toBe(0);
    expect(lines).toEqual([DEMO_USAGE]);
    for (const args of [['--bogus'], ['--keep', '--clean'], ['keep']]) {
      const said: string[] = [];
      expect(await runDemo(args, (l) => said.push(l)), args.join(' ')).toBe(2);
      expect(said[0]).toMatch(/^demo: (unknown argument|--keep and --clean)/);
    }
    expect(listNetns().filter((n) => ['red', 'blue', 'demo-host', 'demo-world'].includes(n))).toEqual([]);
  });

  it('--keep leaves it for inspection, --clean removes it', async () => {
    const lines: string[] = [];
    expect(await runDemo(['--keep'], (l) => lines.push(l))).toBe(0);
    expect(listNetns()).toEqual(expect.arrayContaining(['red', 'blue', 'demo-host', 'demo-world']));
    expect(await runDemo([], () => undefined)).toBe(1); // refuses to build over existing namespaces
    await runDemo(['--clean'], () => undefined);
    expect(listNetns().filter((n) => ['red', 'blue', 'demo-host', 'demo-world'].includes(n))).toEqual([]);
  }, 60_000);
});
