#!/usr/bin/env node
// The one test command (`npm test`). Runs every test file with vitest; as root the run happens
// inside a throwaway sandbox (new network and mount namespaces, a tmpfs on /run, a fresh
// sysfs) so kernel tests can create namespaces, links and rules without touching the host.
// Without root, kernel tests report themselves skipped with the reason. The last line printed
// is the summary `N passed, N failed, N skipped`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const work = mkdtempSync(join(tmpdir(), 'netns-ts-test-'));
const report = join(work, 'report.json');
// Tests append reliability figures here (test/helpers/figures.ts); totalled after the run.
const figures = join(work, 'figures.jsonl');
process.env.NETNS_TS_FIGURES = figures;
const vitest = join(root, 'node_modules', 'vitest', 'vitest.mjs');
const args = [vitest, 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(2)];

// Some tests run the compiled package (the CLI binary, child processes killed mid-apply):
// build dist/ first so they never test stale output, and its one-file bundles, so dist/ is
// left as `npm run build` leaves it (an older bundle would not be used, only slower).
const tsc = spawnSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.build.json')], { cwd: root, stdio: 'inherit' });
if (tsc.status !== 0) {
  console.error('the TypeScript build failed');
  console.log('0 passed, 1 failed');
  process.exit(1);
}
const bundles = spawnSync('npm', ['run', '--silent', 'bundle'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
if (bundles.status !== 0) {
  console.error('building the bundles failed (npm run bundle)');
  console.log('0 passed, 1 failed');
  process.exit(1);
}

const isRoot = process.getuid?.() === 0;
const canSandbox = isRoot && spawnSync('unshare', ['--help'], { stdio: 'ignore' }).status === 0;
let status;
if (canSandbox) {
  // Quote each argument for sh.
  const q = (s) => `'${String(s).replace(/'/g, `'\\''`)}'`;
  const script = [
    'set -e',
    'mount -t tmpfs netns-ts-run /run',
    'mkdir -p /run/netns',
    'mount -t sysfs netns-ts-sys /sys',
    'ip link set lo up',
    `exec ${[process.execPath, ...args].map(q).join(' ')}`,
  ].join('\n');
  status = spawnSync('unshare', ['--net', '--mount', '--propagation', 'private', '--', 'sh', '-c', script], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, NETNS_TS_SANDBOX: '1' },
  }).status;
} else {
  const why = isRoot ? 'unshare(1) is not available' : 'not running as root';
  console.log(`kernel tests will be skipped: ${why} (they need root to run inside a throwaway sandbox)`);
  const env = { ...process.env };
  delete env.NETNS_TS_SANDBOX;
  status = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit', env }).status;
}

let summary = '0 passed, 1 failed';
if (existsSync(report)) {
  const r = JSON.parse(readFileSync(report, 'utf8'));
  const skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  // A file that fails to load counts as a failure even though it ran no test.
  const brokenFiles = (r.testResults ?? []).filter((f) => f.status === 'failed' && (f.assertionResults ?? []).length === 0).length;
  summary = `${r.numPassedTests} passed, ${r.numFailedTests + brokenFiles} failed, ${skipped} skipped`;
  if (r.numFailedTests + brokenFiles > 0 && status === 0) status = 1;
} else {
  console.error('vitest wrote no report: the run did not complete');
  status = status || 1;
}
if (existsSync(figures)) {
  const totals = new Map();
  for (const line of readFileSync(figures, 'utf8').split('\n').filter(Boolean)) {
    const { figure, count } = JSON.parse(line);
    totals.set(figure, (totals.get(figure) ?? 0) + count);
  }
  const get = (k) => totals.get(k) ?? 0;
  console.log(
    `reliability: faults injected ${get('faults injected')}, survived ${get('faults survived')}; ` +
      `bad inputs tried ${get('bad inputs tried')}, refused before sending ${get('bad inputs refused before sending')}; objects lost ${get('objects lost')}`,
  );
}
rmSync(work, { recursive: true, force: true });
console.log(summary);
process.exit(status ?? 1);
