#!/usr/bin/env node
// Capture a fixture: run a real tool (ip, nft, …) under strace inside a throwaway sandbox,
// keep every datagram it exchanged with the kernel over netlink, and store them with their
// provenance and their decoded form in fixtures/<family>/<name>.json (see fixtures/README.md).
//
//   npm run capture -- --name NAME [--family route|netfilter] [--setup 'cmd']… \
//                      [--description TEXT] [--out DIR] -- COMMAND [ARGS…]
//   npm run capture -- --refresh [--out DIR]
//
// The decoders come from dist/ (the npm script compiles src/ first), so a fixture's `expected`
// is exactly what the library decodes today; `--refresh` re-derives it after a codec changes.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const USAGE = `usage: npm run capture -- --name NAME [--family route|netfilter] [--setup CMD]... [--description TEXT] [--out DIR] -- COMMAND [ARGS...]
       npm run capture -- --refresh [--out DIR]`;
/** strace's name for a netlink protocol (NETLINK_ROUTE → ROUTE) → our family name. */
const FAMILY_BY_STRACE_PROTOCOL = { ROUTE: 'route', NETFILTER: 'netfilter' };

function fail(message) {
  console.error(`capture: ${message}`);
  process.exit(1);
}

/** Quote for sh, only when needed, so provenance strings stay readable and can be pasted. */
function shellQuote(arg) {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

function parseArguments(argv) {
  const options = { setup: [], out: join(root, 'fixtures'), refresh: false, command: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => (i + 1 < argv.length ? argv[++i] : fail(`${arg} needs a value\n${USAGE}`));
    if (arg === '--') { options.command = argv.slice(i + 1); break; }
    else if (arg === '--name') options.name = value();
    else if (arg === '--family') options.family = value();
    else if (arg === '--setup') options.setup.push(value());
    else if (arg === '--description') options.description = value();
    else if (arg === '--out') options.out = resolve(value());
    else if (arg === '--refresh') options.refresh = true;
    else if (arg === '--help' || arg === '-h') { console.log(USAGE); process.exit(0); }
    else fail(`unknown option ${arg}\n${USAGE}`);
  }
  if (options.refresh) {
    if (options.command.length > 0 || options.name) fail('--refresh takes no --name and no command');
    return options;
  }
  if (!options.name || !/^[a-z0-9][a-z0-9-]*$/.test(options.name)) fail(`--name is required (lowercase letters, digits, dashes)\n${USAGE}`);
  if (options.family && !Object.values(FAMILY_BY_STRACE_PROTOCOL).includes(options.family)) fail(`unknown --family ${options.family}`);
  if (options.command.length === 0) fail(`no command to capture (put it after --)\n${USAGE}`);
  return options;
}

// ---------------------------------------------------------------------------------------------
// Decoders (from the compiled library)

async function loadCodecs() {
  const registry = join(root, 'dist', 'netlink', 'registry.js');
  if (!existsSync(registry)) fail('dist/ is missing: run `npx tsc -p tsconfig.build.json` (npm run capture does it)');
  const { decodeDatagram } = await import(pathToFileURL(registry).href);
  const { toJsonValue } = await import(pathToFileURL(join(root, 'dist', 'netlink', 'json.js')).href);
  // Families register their message codecs when the package entry point loads; without it
  // only control messages (NLMSG_ERROR, NLMSG_DONE) decode and the rest stays raw.
  const entry = pathToFileURL(join(root, 'dist', 'index.js')).href;
  try {
    await import(entry);
  } catch (error) {
    // Only "dist/index.js does not exist yet" is fine; a broken import inside it is not.
    if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !String(error.message).includes(fileURLToPath(entry))) throw error;
  }
  return { expectedFor: (family, bytes) => expectedValue(family, bytes, decodeDatagram, toJsonValue) };
}

/**
 * The decoded datagram as JSON. Bytes a real tool sent but the library cannot decode yet are
 * still recorded as sent (the kernel accepted them): `expected` then holds the DecodeError's
 * message, which the fixture test pins until the codec learns them and `--refresh` says so.
 */
function expectedValue(family, bytes, decodeDatagram, toJsonValue) {
  try {
    return toJsonValue(decodeDatagram(family, bytes));
  } catch (error) {
    if (error?.name !== 'DecodeError') throw error;
    console.error(`capture: WARNING: a ${family} datagram does not decode: ${error.message}`);
    return { $decodeError: error.message };
  }
}

// ---------------------------------------------------------------------------------------------
// The sandbox: captures change network state, which must never reach the host.

function insideSandbox() {
  if (process.env.NETNS_TS_SANDBOX !== '1') return false;
  // The variable alone could leak into a host shell: also require the sandbox's own /run.
  const mounts = readFileSync('/proc/self/mountinfo', 'utf8');
  if (!/ \/run .* - tmpfs netns-ts-run /.test(mounts)) fail('NETNS_TS_SANDBOX=1 but /run is not the sandbox tmpfs: refusing to touch the host');
  return true;
}

function reexecInSandbox() {
  const script = [
    'set -e',
    'mount -t tmpfs netns-ts-run /run',
    'mkdir -p /run/netns',
    'mount -t sysfs netns-ts-sys /sys',
    'ip link set lo up',
    `exec ${[process.execPath, fileURLToPath(import.meta.url), ...process.argv.slice(2)].map(shellQuote).join(' ')}`,
  ].join('\n');
  const result = spawnSync('unshare', ['--net', '--mount', '--propagation', 'private', '--', 'sh', '-c', script], {
    stdio: 'inherit',
    env: { ...process.env, NETNS_TS_SANDBOX: '1' },
  });
  if (result.error) fail(`cannot start the sandbox: ${result.error.message}`);
  process.exit(result.status ?? 1);
}

// ---------------------------------------------------------------------------------------------
// Running the command under strace

/** First line a tool prints about its version: tools disagree on `--version` vs `-V`. */
function toolVersion(program) {
  for (const flag of ['--version', '-V']) {
    const r = spawnSync(program, [flag], { encoding: 'utf8', timeout: 10_000 });
    const line = `${r.stdout ?? ''}${r.stderr ?? ''}`.split('\n')[0]?.trim();
    if (r.status === 0 && line) return line;
  }
  return `${program} (version unknown)`;
}

function firstLine(program, args) {
  return execFileSync(program, args, { encoding: 'utf8' }).split('\n')[0].trim();
}

function runSetup(commands) {
  for (const command of commands) {
    console.error(`capture: setup: ${command}`);
    const r = spawnSync('sh', ['-c', command], { stdio: 'inherit' });
    if (r.status !== 0) fail(`setup command failed (status ${r.status}): ${command}`);
  }
}

function straceCommand(command, traceFile) {
  const r = spawnSync('strace', [
    '-f', '-yy', '-xx', '-s', '65535',
    // socket() too: see NETLINK_SOCKET below.
    '-e', 'trace=socket,sendmsg,recvmsg,sendto,recvfrom',
    '-e', 'write=all', '-e', 'read=all',
    '-o', traceFile, '--', ...command,
  ], { stdio: 'inherit' });
  if (r.error) fail(`cannot run strace: ${r.error.message}`);
  // A failing command is often the point (error fixtures), so its status is only reported.
  console.error(`capture: ${command[0]} exited with status ${r.status}`);
}

// ---------------------------------------------------------------------------------------------
// Parsing strace's output
//
// With -f every syscall line starts with the pid. A call interrupted by another process's
// output is split into `… <unfinished ...>` and `<... name resumed> …`. `-e write=/read=` print
// the data after the call's last line as hex rows ` | 00000  2c 00 00 00 …  ascii |`, one block
// per iovec buffer, each introduced by ` * N bytes in buffer I` (sendto/recvfrom have no such
// line: their one block holds the call's result count of bytes).

const CALL_LINE = /^(?:(\d+)\s+)?(sendmsg|recvmsg|sendto|recvfrom)\((.*)$/;
const RESUMED_LINE = /^(?:(\d+)\s+)?<\.\.\. (sendmsg|recvmsg|sendto|recvfrom) resumed>(.*)$/;
const BUFFER_LINE = /^ \* (\d+) bytes in buffer \d+/;
const HEX_ROW = /^ \| ([0-9a-f]+)  (.*)$/;
/**
 * -yy names a netlink fd `3<NETLINK:[ROUTE:1234]>` (protocol and port) once it is bound, but
 * only `3<NETLINK:[56789]>` (its inode) before: libmnl tools such as nft send their first
 * request on an unbound socket and let the kernel autobind it. The socket() call that created
 * it names the protocol beside that inode, so both spellings resolve to a protocol.
 */
const NETLINK_FD = /^\d+<NETLINK:\[(?:([A-Z0-9_]+):\d+|(\d+))\]>/;
const NETLINK_SOCKET = /^(?:\d+\s+)?socket\(AF_NETLINK, [^,]+, NETLINK_(\w+)\)\s+=\s+\d+<NETLINK:\[(\d+)\]>/;

function parseStrace(text) {
  const calls = [];
  const unfinished = new Map();
  const protocolByInode = new Map();
  let current;
  for (const line of text.split('\n')) {
    let match;
    if ((match = NETLINK_SOCKET.exec(line))) {
      protocolByInode.set(match[2], match[1]);
      current = undefined;
    } else if ((match = CALL_LINE.exec(line))) {
      const [, pid = '', name, rest] = match;
      current = undefined;
      if (rest.endsWith('<unfinished ...>')) unfinished.set(pid, { name, text: rest.slice(0, -'<unfinished ...>'.length) });
      else current = finishCall(calls, name, rest);
    } else if ((match = RESUMED_LINE.exec(line))) {
      const [, pid = '', name, rest] = match;
      const start = unfinished.get(pid);
      unfinished.delete(pid);
      current = start ? finishCall(calls, name, start.text + rest) : undefined;
    } else if ((match = BUFFER_LINE.exec(line))) {
      current?.blocks.push({ size: Number(match[1]), bytes: [] });
    } else if ((match = HEX_ROW.exec(line)) && current) {
      if (current.blocks.length === 0) current.blocks.push({ size: current.result, bytes: [] });
      appendHexRow(current.blocks.at(-1), parseInt(match[1], 16), match[2]);
    }
  }
  for (const call of calls) call.protocol ??= protocolByInode.get(call.inode);
  return calls;
}

function finishCall(calls, name, args) {
  const socket = NETLINK_FD.exec(args);
  const result = /\)\s+=\s+(-?\d+)(?:\s.*)?$/.exec(args);
  const call = {
    name,
    netlink: socket !== null,
    protocol: socket?.[1],
    inode: socket?.[2],
    // `= -1 EAGAIN (…)` or `= ?`: nothing was transferred.
    failed: !result || Number(result[1]) < 0,
    // -xx prints every string as \x escapes, so MSG_PEEK can only be the flags argument here.
    peek: /\bMSG_PEEK\b/.test(args),
    truncated: /msg_flags=[A-Z_|]*\bMSG_TRUNC\b/.test(args),
    result: result ? Number(result[1]) : -1,
    blocks: [],
  };
  calls.push(call);
  return call;
}

/** Rows are fixed-width: only the row's own byte count of pairs is hex, the rest is ASCII. */
function appendHexRow(block, offset, columns) {
  if (offset !== block.bytes.length) throw new Error(`strace hex dump: row at ${offset}, expected ${block.bytes.length}`);
  const count = Math.min(16, block.size - offset);
  const pairs = columns.trim().split(/\s+/).slice(0, count);
  if (pairs.length !== count || !pairs.every((p) => /^[0-9a-f]{2}$/.test(p))) throw new Error(`strace hex dump: bad row ${offset}: ${columns}`);
  for (const p of pairs) block.bytes.push(parseInt(p, 16));
}

/** The datagrams of one netlink family, in the order they crossed the socket. */
function netlinkDatagrams(calls, wantedFamily) {
  const relevant = calls.filter((c) => c.netlink && !c.failed && !c.peek);
  const families = new Set(relevant.map((c) => FAMILY_BY_STRACE_PROTOCOL[c.protocol] ?? c.protocol ?? '?'));
  const family = wantedFamily ?? (families.size === 1 ? [...families][0] : undefined);
  if (!family) fail(`the command used netlink protocols ${[...families].join(', ') || '(none)'}: pick one with --family`);
  if (!Object.values(FAMILY_BY_STRACE_PROTOCOL).includes(family)) fail(`netlink protocol ${family} has no family name here`);
  const datagrams = [];
  for (const call of relevant) {
    if (FAMILY_BY_STRACE_PROTOCOL[call.protocol] !== family) continue;
    const bytes = call.blocks.flatMap((b) => b.bytes);
    // A datagram bigger than the receive buffer is cut: recording a part as if whole would lie.
    if (call.truncated || bytes.length !== call.result) fail(`${call.name} returned ${call.result} bytes but strace showed ${bytes.length}${call.truncated ? ' (MSG_TRUNC)' : ''}`);
    datagrams.push({ direction: call.name.startsWith('send') ? 'request' : 'reply', bytes: Uint8Array.from(bytes) });
  }
  if (datagrams.length === 0) fail(`no ${family} netlink datagram was captured`);
  return { family, datagrams };
}

// ---------------------------------------------------------------------------------------------
// Writing fixtures

function writeFixture(file, fixture) {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(fixture, null, 2)}\n`);
}

async function capture(options) {
  if (process.getuid?.() !== 0) fail('captures need root (they run inside a new network namespace)');
  if (!insideSandbox()) reexecInSandbox();
  const { expectedFor } = await loadCodecs();
  // On the sandbox's own tmpfs: whatever happens, it disappears with the sandbox.
  const work = mkdtempSync('/run/netns-ts-capture-');
  try {
    runSetup(options.setup);
    const traceFile = join(work, 'strace.txt');
    straceCommand(options.command, traceFile);
    const { family, datagrams } = netlinkDatagrams(parseStrace(readFileSync(traceFile, 'utf8')), options.family);
    const command = options.command.map(shellQuote).join(' ');
    const fixture = {
      name: options.name,
      description: options.description ?? `What \`${command}\` exchanges with the kernel.`,
      provenance: {
        command,
        setup: options.setup,
        tool: toolVersion(options.command[0]),
        kernel: firstLine('uname', ['-sr']),
        strace: firstLine('strace', ['-V']),
        captured: new Date().toISOString(),
        by: `npm run capture -- ${process.argv.slice(2).map(shellQuote).join(' ')}`,
      },
      family,
      datagrams: datagrams.map(({ direction, bytes }) => ({ direction, hex: Buffer.from(bytes).toString('hex'), expected: expectedFor(family, bytes) })),
    };
    const file = join(options.out, family, `${options.name}.json`);
    writeFixture(file, fixture);
    console.error(`capture: wrote ${file} (${datagrams.length} datagrams)`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Re-derive every `expected` from the stored bytes, so a codec change shows up as a diff. */
async function refresh(options) {
  const { expectedFor } = await loadCodecs();
  const files = readdirSync(options.out, { recursive: true }).filter((f) => String(f).endsWith('.json')).sort();
  let failed = 0;
  for (const relative of files) {
    const file = join(options.out, String(relative));
    const before = readFileSync(file, 'utf8');
    try {
      const fixture = JSON.parse(before);
      for (const d of fixture.datagrams) d.expected = expectedFor(fixture.family, new Uint8Array(Buffer.from(d.hex, 'hex')));
      const after = `${JSON.stringify(fixture, null, 2)}\n`;
      if (after !== before) writeFileSync(file, after);
      console.error(`capture: ${after === before ? 'unchanged' : 'UPDATED  '} ${relative}`);
    } catch (error) {
      failed++;
      console.error(`capture: FAILED    ${relative}: ${error.message}`);
    }
  }
  if (failed > 0) process.exit(1);
}

const options = parseArguments(process.argv.slice(2));
await (options.refresh ? refresh(options) : capture(options));
