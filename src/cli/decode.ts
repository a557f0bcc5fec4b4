/**
 * `netns-ts decode [--family route|netfilter] [--json] HEX…` (or `-` for stdin): decode raw
 * netlink bytes of any registered family into the same tree `--trace` prints. Accepts plain
 * hex, `0x` prefixes, hexdump spacing and strace's `\x2c\x00` escapes (`strace -xx` output can
 * be pasted as is, quotes included).
 */
import { readFileSync } from 'node:fs';
import { toJsonValue } from '../netlink/json.js';
import { decodeDatagram, registeredProtocols } from '../netlink/registry.js';
import { messageLines } from './message-text.js';
import { loadProtocols } from './protocols.js';
import { UsageError } from './usage-error.js';

export function parseHexInput(words: readonly string[]): Uint8Array {
  const text = words.length === 1 && words[0] === '-' ? readFileSync(0, 'utf8') : words.join(' ');
  const clean = text.replace(/\\x/g, '').replace(/0x/gi, '').replace(/[\s:,|"'.]/g, '');
  if (clean.length === 0) throw new UsageError('decode: no bytes given (pass hex, or - to read stdin)');
  if (!/^[0-9a-fA-F]*$/.test(clean) || clean.length % 2 !== 0) {
    throw new UsageError('decode: input is not an even number of hex digits');
  }
  return new Uint8Array(Buffer.from(clean, 'hex'));
}

/** Run `decode …`; prints through `out`. */
export async function decodeCommand(args: readonly string[], out: (line: string) => void): Promise<number> {
  await loadProtocols();
  let family = 'route';
  let json = false;
  const words: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--family' || a === '-f') {
      const v = args[++i];
      if (v === undefined) throw new UsageError('decode: --family needs a value (route, netfilter)');
      family = v;
    } else if (a.startsWith('--family=')) family = a.slice('--family='.length);
    else if (a === '--json' || a === '-j') json = true;
    else words.push(a);
  }
  const known = registeredProtocols().map((p) => p.name);
  if (!known.includes(family)) throw new UsageError(`decode: --family ${family}: unknown (known: ${known.join(', ')})`);
  const messages = decodeDatagram(family, parseHexInput(words));
  if (json) out(JSON.stringify(toJsonValue(messages), null, 2));
  else for (const m of messages) for (const line of messageLines(m)) out(line);
  return 0;
}
