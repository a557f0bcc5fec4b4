/**
 * The REPL (`netns-ts` on a terminal): the command language without the program name (`ip link`
 * or just `link`, `nft …`), tab completion, persistent history, and dot-commands:
 *
 *   .help            what can be typed
 *   .exit            leave (Ctrl-D too)
 *   .trace on|off|hex  print every netlink message sent and received
 *   .netns [NAME|-]  default namespace of the following commands (shown in the prompt)
 *   .decode HEX…     decode raw netlink bytes
 *
 * A failing command prints its one line and the REPL goes on. Ctrl-C stops a running command
 * (`ip monitor`) or clears the line.
 */
import { createInterface, type Interface } from 'node:readline';
import { NetlinkProtocol } from '../netlink/constants.js';
import { validateNetnsName } from '../netns/names.js';
import { listNetns, openNetns } from '../netns/index.js';
import { Links } from '../route/links.js';
import { complete } from './completion.js';
import { decodeCommand } from './decode.js';
import { dispatch } from './dispatch.js';
import { appendHistory, historyPath, HISTORY_SIZE, loadHistory } from './history.js';
import { loadProtocols } from './protocols.js';
import { reportFailure } from './report.js';
import { CliSession, type CliIO } from './session.js';
import { UsageError } from './usage-error.js';
import { splitWords } from './words.js';

const REPL_HELP = `Type commands as you would in a shell, without "netns-ts":
  ip link show          link show          ip -j addr          nft list ruleset
  ip -n blue route      monitor link       decode 2c000000…
Dot-commands:
  .help                 this text
  .exit                 leave (or Ctrl-D)
  .trace on|off|hex     print every netlink message sent and received (decoded; hex adds bytes)
  .netns [NAME|-]       run the following commands in namespace NAME (- for this one)
  .decode HEX…          decode raw netlink bytes (--family route|netfilter)
TAB completes objects, commands, options, interface and namespace names. Ctrl-C stops a
running command (ip monitor) or clears the line.`;

/** How long interface names fetched for completion stay fresh. */
const NAMES_TTL_MS = 2000;

export interface ReplOptions {
  input?: NodeJS.ReadableStream;
  output?: NodeJS.WritableStream;
  historyFile?: string;
}

function prompt(session: CliSession): string {
  return session.netns === undefined ? 'netns-ts> ' : `netns-ts[${session.netns}]> `;
}

/** Handle a dot-command; returns false for `.exit`. */
async function dotCommand(words: string[], session: CliSession, io: CliIO): Promise<boolean> {
  const [cmd, ...args] = words;
  switch (cmd) {
    case '.exit':
    case '.quit':
      return false;
    case '.help':
      io.out(REPL_HELP);
      return true;
    case '.trace': {
      const mode = args[0] ?? 'on';
      if (mode === 'off') session.trace = undefined;
      else if (mode === 'on' || mode === 'hex') {
        await loadProtocols();
        session.trace = { hex: mode === 'hex', write: io.err };
      }
      else throw new UsageError(`.trace ${mode}: use .trace on, .trace off or .trace hex`);
      io.out(`trace ${mode === 'off' ? 'off' : mode === 'hex' ? 'on (with hex)' : 'on'}`);
      return true;
    }
    case '.netns': {
      const name = args[0];
      if (name === undefined) io.out(session.netns ?? '(this process\'s namespace)');
      else if (name === '-') session.netns = undefined;
      else {
        validateNetnsName(name, '.netns');
        // Fail now, not at the next command: the namespace must exist.
        openNetns(name).close();
        session.netns = name;
      }
      return true;
    }
    case '.decode':
      await decodeCommand(args, io.out);
      return true;
    default:
      throw new UsageError(`${cmd}: unknown REPL command (try .help)`);
  }
}

/**
 * Whether a line runs `ip netns exec`: the program gets the terminal for itself (cooked mode,
 * its own Ctrl-C), so the REPL steps aside until it exits.
 */
function isExec(words: readonly string[]): boolean {
  const rest = words[0] === 'ip' ? words.slice(1) : words;
  let i = 0;
  while (rest[i]?.startsWith('-')) i += rest[i] === '-n' || rest[i] === '-netns' ? 2 : 1;
  const [object, verb] = [rest[i], rest[i + 1]];
  return object !== undefined && 'netns'.startsWith(object) && object.length >= 3 && verb !== undefined && 'exec'.startsWith(verb);
}

/** Run `work` with the terminal handed over: readline paused, raw mode off, SIGINT left to the child. */
async function withTerminalHandedOver<T>(rl: Interface, input: NodeJS.ReadableStream, work: () => Promise<T>): Promise<T> {
  const tty = input as NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (raw: boolean) => void };
  const ignore = (): void => undefined;
  rl.pause();
  if (tty.isTTY) tty.setRawMode?.(false);
  process.on('SIGINT', ignore);
  try {
    return await work();
  } finally {
    process.off('SIGINT', ignore);
    if (tty.isTTY) tty.setRawMode?.(true);
    rl.resume();
  }
}

/** Start the REPL; resolves with the exit status when the user leaves. */
export async function startRepl(options: ReplOptions = {}): Promise<number> {
  const input = options.input ?? process.stdin;
  const output = options.output ?? process.stdout;
  const file = options.historyFile ?? historyPath();
  const io: CliIO = {
    out: (line) => output.write(`${line}\n`),
    err: (line) => (output === process.stdout ? process.stderr : output).write(`${line}\n`),
  };
  const session = new CliSession(io);
  let names: { at: number; netns: string | undefined; list: string[] } | undefined;
  const interfaces = async (): Promise<string[]> => {
    if (names && names.netns === session.netns && Date.now() - names.at < NAMES_TTL_MS) return names.list;
    try {
      const list = (await new Links(session.connection(session.netns, NetlinkProtocol.NETLINK_ROUTE)).list()).map((l) => l.name);
      names = { at: Date.now(), netns: session.netns, list };
      return list;
    } catch {
      return [];
    }
  };
  const rl: Interface = createInterface({
    input,
    output,
    terminal: true,
    history: loadHistory(file),
    historySize: HISTORY_SIZE,
    removeHistoryDuplicates: true,
    completer: (line: string, callback: (err: Error | null, result: [string[], string]) => void) => {
      complete(line, { interfaces, namespaces: () => listNetns() }).then((r) => callback(null, r), () => callback(null, [[], line]));
    },
  });
  let running: AbortController | undefined;
  rl.on('SIGINT', () => {
    if (running !== undefined) running.abort();
    else {
      rl.write('', { ctrl: true, name: 'u' });
      io.out('');
      rl.prompt();
    }
  });
  rl.setPrompt(prompt(session));
  rl.prompt();
  try {
    for await (const line of rl) {
      appendHistory(file, line);
      let keepGoing = true;
      try {
        const words = splitWords(line);
        if (words[0] === 'netns-ts') words.shift();
        if (words.length > 0 && words[0]!.startsWith('.')) keepGoing = await dotCommand(words, session, io);
        else if (words.length > 0 && isExec(words)) await withTerminalHandedOver(rl, input, () => dispatch(words, session));
        else if (words.length > 0) {
          running = new AbortController();
          await dispatch(words, session, undefined, running.signal);
        }
      } catch (err) {
        reportFailure(err, io.err);
      } finally {
        running = undefined;
      }
      if (!keepGoing) break;
      rl.setPrompt(prompt(session));
      rl.prompt();
    }
  } finally {
    rl.close();
    session.close();
  }
  return 0;
}
