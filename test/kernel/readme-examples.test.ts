import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { describeKernel } from './sandbox.js';

// The README's examples run as written (against the built package), so the docs cannot rot.
const root = fileURLToPath(new URL('../..', import.meta.url));
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const examples = [...readme.matchAll(/<!-- example: (\S+) -->\n```ts\n([\s\S]*?)```/g)].map((m) => ({ name: m[1]!, code: m[2]! }));

describeKernel('README examples', () => {
  it('there are examples to run', () => expect(examples.map((e) => e.name)).toEqual(['topology', 'clients', 'prepared']));
  for (const ex of examples) {
    it(`"${ex.name}" runs`, () => {
      const dir = mkdtempSync(join(tmpdir(), 'netns-ts-readme-'));
      const file = join(dir, `${ex.name}.mjs`);
      writeFileSync(file, ex.code.replaceAll("from 'netns-ts'", `from ${JSON.stringify(join(root, 'dist', 'index.js'))}`));
      const out = execFileSync(process.execPath, [file], { encoding: 'utf8', timeout: 30_000 });
      if (ex.name === 'topology') {
        expect(out).toContain('ip netns add red');
        expect(out).toContain('[]');
      } else if (ex.name === 'prepared') {
        expect(out).toBe('1000\nValidationError values.port\n');
      } else {
        expect(out).toContain("[ '10.0.0.0/24' ]");
        expect(out).toContain('ValidationError name');
        expect(out).toContain('EEXIST ipv4: Address already assigned');
      }
    }, 60_000);
  }
});
