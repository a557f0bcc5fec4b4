/**
 * The real `netns-ts` binary for tests: the TypeScript sources compiled once per test file into
 * a temporary directory laid out like the package (dist/ beside build/, package.json and
 * node_modules), so tests run the current code even where the checkout's dist/ is stale.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

export interface BuiltCli {
  main: string;
  dir: string;
  remove(): void;
}

/**
 * Compile src/ into a fresh package-shaped directory, with the CLI's one-file bundle as
 * `npm run build` makes it (main.js runs from it); returns the path of dist/cli/main.js.
 */
export function buildCli(): BuiltCli {
  const dir = mkdtempSync(join(tmpdir(), 'netns-ts-cli-'));
  for (const entry of ['build', 'package.json', 'node_modules']) symlinkSync(join(ROOT, entry), join(dir, entry));
  mkdirSync(join(dir, 'dist'));
  const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  // Type errors elsewhere in the tree do not stop tsc from emitting; main.js must exist.
  spawnSync(process.execPath, [tsc, '-p', join(ROOT, 'tsconfig.build.json'), '--outDir', join(dir, 'dist')], { cwd: ROOT, stdio: 'ignore' });
  const main = join(dir, 'dist', 'cli', 'main.js');
  if (!existsSync(main)) throw new Error(`compiling the CLI produced no ${main}`);
  const bundle = spawnSync(process.execPath, [join(dir, 'dist', 'cli', 'build-bundle.js')], { cwd: dir, encoding: 'utf8' });
  if (bundle.status !== 0 || !existsSync(join(dir, 'dist', 'cli', 'netns-ts.bundle.cjs'))) throw new Error(`building the CLI's bundle failed: ${bundle.stderr}${bundle.stdout}`);
  return { main, dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface BinaryResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Run the binary to completion. */
export function runBinary(main: string, args: readonly string[], input?: string, env: NodeJS.ProcessEnv = {}): BinaryResult {
  const r = spawnSync(process.execPath, [main, ...args], { encoding: 'utf8', input: input ?? '', timeout: 30_000, env: { ...process.env, ...env } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Strip terminal control sequences from REPL output. */
export function plain(text: string): string {
  return text.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').replace(/\r/g, '');
}

/**
 * The binary under a pseudo-terminal, driven as a person would: `script` (util-linux) gives it a
 * terminal and copies what we write to the keyboard side.
 */
export class Terminal {
  output = '';
  private readonly child;
  readonly exited: Promise<number | null>;

  constructor(main: string, env: NodeJS.ProcessEnv) {
    this.child = spawn('script', ['-qfec', `${JSON.stringify(process.execPath)} ${JSON.stringify(main)}`, '/dev/null'], {
      env: { ...process.env, TERM: 'xterm', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.child.stdout.on('data', (d: Buffer) => (this.output += d.toString()));
    this.child.stderr.on('data', (d: Buffer) => (this.output += d.toString()));
    this.exited = new Promise((resolve) => this.child.on('close', (code) => resolve(code)));
  }

  /** Type `keys` (TAB is \t, Enter \r, Ctrl-C \x03, Up \x1b[A). */
  type(keys: string): void {
    this.child.stdin.write(keys);
  }

  /** Wait until the output (control sequences removed) after `from` matches `pattern`. */
  async waitFor(pattern: RegExp | string, from = 0, timeoutMs = 10_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const text = plain(this.output.slice(from));
      if (typeof pattern === 'string' ? text.includes(pattern) : pattern.test(text)) return text;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${String(pattern)}; output so far:\n${text}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  /** Type a line and wait for the next prompt; returns what was printed in between. */
  async line(text: string, prompt: RegExp = /netns-ts(\[[^\]]*\])?> $/): Promise<string> {
    const from = this.output.length;
    this.type(`${text}\r`);
    // The echo of the line itself ends with the typed text; the answer follows it.
    const out = await this.waitFor(new RegExp(`${escape(text)}\\n[\\s\\S]*${prompt.source}`), from);
    return out;
  }

  kill(): void {
    this.child.kill();
  }
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Whether `script` (util-linux) is installed, for the pseudo-terminal tests. */
export function haveScript(): boolean {
  try {
    execFileSync('script', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
