/**
 * `ip tuntap {add|del|show} [dev|name] NAME [mode tun|tap] [user USER] [group GROUP] [pi]
 * [vnet_hdr] [multi_queue] [one_queue]` words → what to do (pure, but for user and group names,
 * looked up as ip looks them up: user-names.ts).
 */
import { ArgReader, parseInteger } from '../args.js';
import { kw } from '../keywords.js';
import type { TokenMap } from '../tokens.js';
import type { CreateTunOptions } from '../../route/tun-options.js';
import { idFile, idOfName, type IdKind } from './user-names.js';

export type TuntapVerb = 'add' | 'delete' | 'show';

export type TuntapCommand =
  | { verb: 'add'; options: CreateTunOptions }
  | { verb: 'delete'; name: string; mode: 'tun' | 'tap' }
  | { verb: 'show'; name?: string; mode?: 'tun' | 'tap' };

const K = {
  dev: kw('dev'),
  name: kw('name'),
  mode: kw('mode'),
  user: kw('user'),
  group: kw('group'),
  pi: kw('pi'),
  vnetHdr: kw('vnet_hdr'),
  multiQueue: kw('multi_queue'),
  oneQueue: kw('one_queue'),
} as const;

/** An id from a number (its range is createTun's to check), or a user's or group's name. */
function idOf(r: ArgReader, key: IdKind, text: string): number {
  const id = parseInteger(text) ?? idOfName(key, text);
  if (id === undefined) throw r.fail(`${key} ${text}`, `no such ${key} (not a number, and not in ${idFile(key)})`);
  return id;
}

function mode(r: ArgReader): 'tun' | 'tap' {
  const m = r.value('mode', ['mode']);
  if (m !== 'tun' && m !== 'tap') throw r.fail(`mode ${m}`, 'must be tun or tap');
  return m;
}

export function parseTuntapCommand(verb: TuntapVerb, words: readonly string[], label: string): { command: TuntapCommand; tokens: TokenMap } {
  const r = new ArgReader(label, words);
  let name: string | undefined;
  let m: 'tun' | 'tap' | undefined;
  const options: Partial<CreateTunOptions> = {};
  const setName = (typed: string, value: string): void => {
    if (name !== undefined) throw r.fail(typed, `the device is already ${name}`);
    name = value;
    r.tokens.note(['name', 'ifname'], typed);
  };
  while (!r.done) {
    const k = r.keyword(Object.values(K));
    if (k === K.dev || k === K.name) setName(`${k.name} ${r.peek() ?? ''}`, r.next('the device name'));
    else if (k === K.mode) m = mode(r);
    else if (k === K.user && verb === 'add') options.owner = idOf(r, 'user', r.value('user', ['owner']));
    else if (k === K.group && verb === 'add') options.ownerGroup = idOf(r, 'group', r.value('group', ['ownerGroup']));
    else if (k === K.pi && verb === 'add') options.packetInfo = true;
    else if (k === K.vnetHdr && verb === 'add') options.vnetHdr = true;
    else if (k === K.multiQueue && verb === 'add') options.multiQueue = true;
    // IFF_ONE_QUEUE has had no effect since Linux 3.8; accepted, as ip accepts it.
    else if (k === K.oneQueue && verb === 'add') continue;
    else if (k === undefined && name === undefined && !r.peek()!.startsWith('-')) {
      const w = r.next();
      setName(w, w);
    } else throw r.unexpected(verb === 'add' ? 'ip tuntap add [dev] NAME mode tun|tap [user U] [group G] [pi] [vnet_hdr] [multi_queue]' : `ip tuntap ${verb === 'delete' ? 'del' : 'show'} [dev] NAME mode tun|tap`);
  }
  if (name !== undefined) r.tokens.subject = name;
  if (verb === 'show') return { command: { verb, ...(name !== undefined ? { name } : {}), ...(m !== undefined ? { mode: m } : {}) }, tokens: r.tokens };
  if (name === undefined) throw r.error('which device? (dev NAME)');
  if (m === undefined) throw r.error('mode tun or mode tap is required');
  if (verb === 'delete') return { command: { verb, name, mode: m }, tokens: r.tokens };
  return { command: { verb, options: { ...options, name, mode: m } }, tokens: r.tokens };
}
