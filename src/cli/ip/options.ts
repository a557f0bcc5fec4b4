/**
 * The options of `ip` before the object (`ip -n blue -j -d link show`), as iproute2 6.1
 * accepts them, abbreviations included (`-de`, `-ne`, `-json`). Options `ip` has that this
 * CLI does not implement are refused by name rather than ignored.
 */
import { findKeyword, kw, type Keyword } from '../keywords.js';
import { validateNetnsName } from '../../netns/names.js';
import { UsageError } from '../usage-error.js';

export interface IpOptions {
  netns?: string;
  json: boolean;
  pretty: boolean;
  details: boolean;
  /** How many times -s was given. */
  stats: number;
  family?: 4 | 6;
  /** `-b FILE`: run a batch file. */
  batch?: string;
  /** `-force`: keep going after a failed batch line. */
  force: boolean;
  help: boolean;
}

type OptionName = 'netns' | 'json' | 'pretty' | 'details' | 'stats' | 'inet' | 'inet6' | 'family' | 'batch' | 'force' | 'help' | 'unsupported';

interface OptionKeyword extends Keyword {
  option: OptionName;
}

const opt = (option: OptionName, name: string, min?: number, aliases?: readonly string[]): OptionKeyword => ({ ...kw(name, min, aliases), option });

/** In ip's order (an earlier option wins a shared prefix: `-b` is -batch, `-br` -brief). */
const OPTIONS: readonly OptionKeyword[] = [
  opt('family', '-family', 2),
  opt('inet', '-4'),
  opt('inet6', '-6'),
  opt('unsupported', '-0'),
  opt('unsupported', '-M'),
  opt('unsupported', '-B'),
  opt('unsupported', '-loops', 3),
  opt('stats', '-statistics', 2, ['-s', '-stats']),
  opt('details', '-details', 2, ['-d']),
  opt('unsupported', '-resolve', 2, ['-r']),
  opt('unsupported', '-oneline', 2, ['-o']),
  opt('unsupported', '-timestamp', 2, ['-t']),
  opt('unsupported', '-tshort', 3),
  opt('unsupported', '-brief', 3, ['-br']),
  opt('batch', '-batch', 2, ['-b']),
  opt('force', '-force'),
  opt('netns', '-netns', 2, ['-n']),
  opt('json', '-json', 2, ['-j']),
  opt('pretty', '-pretty', 2, ['-p']),
  opt('unsupported', '-color', 2, ['-c', '-colour']),
  opt('unsupported', '-all', 2, ['-a']),
  opt('unsupported', '-rcvbuf', 3),
  opt('unsupported', '-iec', 2, ['-i']),
  // ip reads -h as -human; here it is help, which is what people type it for.
  opt('help', '-help', 4, ['-h']),
  opt('unsupported', '-human', 3),
  opt('unsupported', '-Version', 2, ['-V']),
];

const FAMILIES: Record<string, 4 | 6> = { inet: 4, inet6: 6, '4': 4, '6': 6 };

export function defaultIpOptions(): IpOptions {
  return { json: false, pretty: false, details: false, stats: 0, force: false, help: false };
}

/** Parse leading options; returns them and the words after (OBJECT COMMAND …). */
export function parseIpOptions(args: readonly string[], into: IpOptions = defaultIpOptions()): { options: IpOptions; rest: string[] } {
  const o = into;
  let i = 0;
  const value = (name: string): string => {
    const v = args[++i];
    if (v === undefined) throw new UsageError(`ip: option ${name} needs a value`);
    return v;
  };
  for (; i < args.length; i++) {
    const a = args[i]!;
    if (!a.startsWith('-') || a === '-') break;
    if (a === '--') {
      i++;
      break;
    }
    const k = findKeyword(a, OPTIONS);
    if (k === undefined) throw new UsageError(`ip: option "${a}" is unknown (try "netns-ts help")`);
    switch (k.option) {
      case 'netns': o.netns = value(a); validateNetnsName(o.netns, '-n'); break;
      case 'json': o.json = true; break;
      case 'pretty': o.pretty = true; break;
      case 'details': o.details = true; break;
      case 'stats': o.stats++; break;
      case 'inet': o.family = 4; break;
      case 'inet6': o.family = 6; break;
      case 'family': {
        const f = value(a);
        const fam = FAMILIES[f];
        if (fam === undefined) throw new UsageError(`ip: -family ${f}: only inet and inet6 are supported`);
        o.family = fam;
        break;
      }
      case 'batch': o.batch = value(a); break;
      case 'force': o.force = true; break;
      case 'help': o.help = true; break;
      case 'unsupported': throw new UsageError(`ip: option ${a} (${k.name}) is not supported by netns-ts`);
    }
  }
  return { options: o, rest: args.slice(i) };
}
