/**
 * `netns-ts`: the debug command line. This first version speaks `ip netns …` and `decode`;
 * every other command answers that it is not supported yet, naming what is.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { decodeCommand } from './decode.js';
import { ipNetnsCommand } from './ip-netns.js';
import { UsageError } from './usage-error.js';

// Importing the package entry registers the protocol families the decoder knows.
import '../index.js';

const HELP = `netns-ts — netlink for Node.js: namespaces, links, addresses, routes, NAT

usage:
  netns-ts ip [-j] netns list|add NAME|del NAME|exec NAME CMD…
  netns-ts decode [--family route|netfilter] HEX…   (or - to read hex from stdin)
  netns-ts --version | --help
`;

function version(): string {
  const pkg = JSON.parse(readFileSync(fileURLToPath(new URL('../../package.json', import.meta.url)), 'utf8')) as { version: string };
  return pkg.version;
}

export async function run(argv: readonly string[], out: (line: string) => void = (l) => process.stdout.write(`${l}\n`)): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case undefined:
    case '--help':
    case '-h':
    case 'help':
      out(HELP.trimEnd());
      return 0;
    case '--version':
    case '-V':
      out(version());
      return 0;
    case 'decode':
      decodeCommand(rest, out);
      return 0;
    case 'ip': {
      let json = false;
      const args = [...rest];
      while (args[0]?.startsWith('-')) {
        const opt = args.shift()!;
        if (opt === '-j' || opt === '-json') json = true;
        else throw new UsageError(`ip: option ${opt} is not supported yet`);
      }
      const [object, ...tail] = args;
      if (object && 'netns'.startsWith(object) && object.length >= 2) return ipNetnsCommand(tail, out, json);
      throw new UsageError(`ip ${object ?? ''}: not supported yet (supported: ip netns)`.replace('  ', ' '));
    }
    default:
      throw new UsageError(`unknown command '${command}' (try --help)`);
  }
}
