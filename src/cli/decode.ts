/**
 * `netns-ts decode [--family route|netfilter] HEX…` (or `-` for stdin): decode raw netlink
 * bytes of any registered family into a readable tree.
 */
import { readFileSync } from 'node:fs';
import { decodeDatagram } from '../netlink/registry.js';
import { toJsonValue } from '../netlink/json.js';
import { UsageError } from './usage-error.js';

export function parseHexInput(words: readonly string[]): Uint8Array {
  const text = words.length === 1 && words[0] === '-' ? readFileSync(0, 'utf8') : words.join(' ');
  // Accept plain hex, `0x` prefixes, strace's `\x2c\x00` escapes and hexdump spacing.
  const clean = text.replace(/\\x/g, '').replace(/0x/gi, '').replace(/[\s:,|]/g, '');
  if (clean.length === 0) throw new UsageError('decode: no bytes given (pass hex, or - to read stdin)');
  if (!/^[0-9a-fA-F]*$/.test(clean) || clean.length % 2 !== 0) {
    throw new UsageError('decode: input is not an even number of hex digits');
  }
  return new Uint8Array(Buffer.from(clean, 'hex'));
}

export function decodeCommand(args: readonly string[], out: (line: string) => void): void {
  let family: string | undefined = 'route';
  const words: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--family' || a === '-f') {
      family = args[++i];
      if (!family) throw new UsageError('decode: --family needs a value (route, netfilter)');
    } else if (a.startsWith('--family=')) family = a.slice('--family='.length);
    else words.push(a);
  }
  const messages = decodeDatagram(family, parseHexInput(words));
  out(JSON.stringify(toJsonValue(messages), null, 2));
}
