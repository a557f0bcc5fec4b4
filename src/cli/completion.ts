/**
 * Tab completion for the REPL: objects, commands and options of the ip language, interface
 * names of the current namespace after `dev`, `master`, `link` … (and as the first argument of
 * `ip link set|del|show`), namespace names after `netns`, `-n` and `.netns`, and the REPL's
 * own dot-commands. The line is read like readline gives it; sources are injected (pure).
 */
import { findKeyword } from './keywords.js';
import { IP_OBJECTS, type IpObject } from './ip/objects.js';

export interface CompletionSources {
  interfaces(): Promise<string[]>;
  namespaces(): string[] | Promise<string[]>;
}

const DOT_COMMANDS = ['.help', '.exit', '.trace', '.netns', '.decode'];
const TOP = ['ip', 'nft', 'iptables', 'decode', 'demo', 'help', 'link', 'address', 'route', 'neigh', 'netns', 'monitor', ...DOT_COMMANDS];
const OBJECTS = ['link', 'address', 'route', 'neigh', 'netns', 'tuntap', 'monitor', 'help'];
const IP_OPTIONS = ['-n', '-j', '-p', '-d', '-s', '-4', '-6'];

const VERBS: Record<IpObject, string[]> = {
  link: ['add', 'set', 'delete', 'show', 'help'],
  address: ['add', 'replace', 'delete', 'flush', 'show', 'help'],
  route: ['add', 'replace', 'delete', 'show', 'get', 'help'],
  neigh: ['add', 'change', 'replace', 'delete', 'flush', 'show', 'help'],
  netns: ['list', 'add', 'delete', 'set', 'list-id', 'identify', 'exec', 'help'],
  tuntap: ['add', 'delete', 'show', 'help'],
  monitor: ['all', 'link', 'address', 'route', 'neigh', 'nsid', 'label'],
  help: [],
};

const OPTIONS: Record<string, string[]> = {
  'link add': ['name', 'type', 'mtu', 'address', 'txqueuelen', 'group', 'alias', 'up', 'master', 'netns', 'link', 'peer', 'veth', 'bridge', 'macvlan', 'vxlan', 'ifb', 'mode', 'id', 'remote', 'local', 'dstport', 'dev'],
  'link set': ['dev', 'up', 'down', 'mtu', 'address', 'broadcast', 'name', 'alias', 'txqueuelen', 'group', 'master', 'nomaster', 'netns'],
  'link delete': ['dev', 'group'],
  'link show': ['dev', 'up', 'master', 'type'],
  'address add': ['dev', 'peer', 'broadcast', 'label', 'scope', 'metric', 'valid_lft', 'preferred_lft', 'nodad', 'noprefixroute', 'home', 'mngtmpaddr'],
  'address replace': ['dev', 'peer', 'broadcast', 'label', 'scope', 'metric', 'valid_lft', 'preferred_lft', 'nodad', 'noprefixroute'],
  'address delete': ['dev', 'peer', 'label'],
  'address flush': ['dev', 'scope'],
  'address show': ['dev', 'up'],
  'route add': ['via', 'dev', 'table', 'metric', 'proto', 'scope', 'src', 'onlink', 'mtu', 'advmss', 'nexthop', 'weight', 'default', 'blackhole', 'unreachable', 'prohibit', 'local'],
  'route replace': ['via', 'dev', 'table', 'metric', 'proto', 'scope', 'src', 'onlink', 'mtu', 'advmss', 'nexthop', 'weight', 'default'],
  'route delete': ['via', 'dev', 'table', 'metric', 'proto', 'scope', 'default'],
  'route show': ['table', 'dev', 'proto', 'type', 'scope', 'via', 'root', 'match', 'exact', 'all'],
  'route get': ['from', 'iif', 'oif', 'mark', 'fibmatch'],
  'neigh add': ['lladdr', 'nud', 'dev', 'proxy', 'router'],
  'neigh change': ['lladdr', 'nud', 'dev', 'router'],
  'neigh replace': ['lladdr', 'nud', 'dev', 'router'],
  'neigh delete': ['dev', 'proxy'],
  'neigh flush': ['dev', 'nud', 'proxy'],
  'neigh show': ['dev', 'nud', 'proxy'],
  'tuntap add': ['dev', 'name', 'mode', 'user', 'group', 'pi', 'vnet_hdr', 'multi_queue', 'one_queue', 'tun', 'tap'],
  'tuntap delete': ['dev', 'name', 'mode', 'tun', 'tap'],
  'tuntap show': ['dev', 'name', 'mode', 'tun', 'tap'],
};

/** Words after which an interface name comes. */
const TAKES_INTERFACE = new Set(['dev', 'master', 'link', 'iif', 'oif']);
/** ip link verbs whose first argument is an interface. */
const FIRST_IS_INTERFACE = new Set(['set', 'delete', 'show']);
const NUD_STATES = ['permanent', 'noarp', 'reachable', 'stale', 'delay', 'probe', 'failed', 'incomplete', 'none'];
const SCOPES = ['global', 'site', 'link', 'host'];

function verbName(object: IpObject, word: string): string | undefined {
  return VERBS[object].find((v) => v.startsWith(word) || (word === 'del' && v === 'delete') || (word === 'sh' && v === 'show'));
}

/** Candidates for the word being typed, given the words before it. */
async function candidates(before: string[], src: CompletionSources): Promise<string[]> {
  if (before.length === 0) return TOP;
  const first = before[0]!;
  if (first === '.trace') return before.length === 1 ? ['on', 'off', 'hex'] : [];
  if (first === '.netns') return before.length === 1 ? [...(await src.namespaces()), '-'] : [];
  if (first.startsWith('.')) return [];
  let words = first === 'ip' || first === 'netns-ts' ? before.slice(1) : before;
  const prev = before[before.length - 1]!;
  if (prev === '-n' || prev === '-netns' || prev === 'netns') return src.namespaces();
  // Skip ip options (and -n's value).
  while (words[0]?.startsWith('-')) words = words.slice(words[0] === '-n' || words[0] === '-netns' ? 2 : 1);
  if (first === 'nft' || first === 'iptables' || first === 'decode') return [];
  if (words.length === 0) return [...OBJECTS, ...IP_OPTIONS];
  const object = findKeyword(words[0], IP_OBJECTS)?.object;
  if (object === undefined) return [];
  if (words.length === 1) return VERBS[object];
  const verb = verbName(object, words[1]!) ?? words[1]!;
  if (object === 'monitor') return VERBS.monitor;
  if (object === 'netns') return words.length === 2 && ['delete', 'set', 'exec'].includes(verb) ? src.namespaces() : [];
  if (TAKES_INTERFACE.has(prev)) return src.interfaces();
  if (prev === 'nud') return NUD_STATES;
  if (prev === 'scope') return SCOPES;
  if (prev === 'type' && object === 'link') return ['veth', 'bridge', 'macvlan', 'vxlan', 'ifb'];
  const options = OPTIONS[`${object} ${verb}`] ?? [];
  if (object === 'link' && words.length === 2 && FIRST_IS_INTERFACE.has(verb)) return [...(await src.interfaces()), ...options];
  return options;
}

/** readline's answer for `line`: the matching completions and the word they complete. */
export async function complete(line: string, src: CompletionSources): Promise<[string[], string]> {
  const words = line.split(/\s+/).filter((w, i, all) => w !== '' || i === all.length - 1);
  const current = /\s$/.test(line) || line === '' ? '' : (words.pop() ?? '');
  const before = words.filter((w) => w !== '');
  const all = await candidates(before, src);
  const hits = [...new Set(all)].filter((c) => c.startsWith(current)).sort();
  return [hits.map((h) => (hits.length === 1 ? `${h} ` : h)), current];
}
