/**
 * `ip address add|replace|delete|flush|show` words → what to do (pure). As iproute2 6.1:
 * `dev`, `peer`, `label`, `scope`, `local`, `valid_lft`, `preferred_lft` and the flags are
 * written in full; `broadcast` may be `b`, `br`, `brd`; `metric` may be `me`.
 */
import { ArgReader } from '../args.js';
import { kw } from '../keywords.js';
import type { TokenMap } from '../tokens.js';
import type { AddressDeleteInput, AddressInput } from '../../route/addresses.js';
import type { ScopeName } from '../../netlink/route/route-constants.js';

const U32_MAX = 0xffffffff;
const SCOPE_MAX = 255;
const SCOPES: readonly string[] = ['global', 'site', 'link', 'host', 'nowhere'];
const SETTABLE_FLAGS = ['nodad', 'noprefixroute', 'home', 'mngtmpaddr', 'autojoin', 'optimistic'] as const;

export type AddressCommand =
  | { verb: 'add' | 'replace'; input: AddressInput }
  | { verb: 'delete'; input: AddressDeleteInput }
  | { verb: 'flush'; dev?: string; scope?: ScopeName | number }
  | { verb: 'show'; dev?: string; up: boolean };

const K = {
  dev: kw('dev'),
  local: kw('local'),
  peer: kw('peer', undefined, ['remote']),
  broadcast: kw('broadcast', 1, ['brd']),
  anycast: kw('anycast', 2),
  label: kw('label'),
  scope: kw('scope'),
  metric: kw('metric', 2, ['priority']),
  valid: kw('valid_lft'),
  preferred: kw('preferred_lft'),
  up: kw('up'),
} as const;
const FLAGS = SETTABLE_FLAGS.map((f) => kw(f));

function scopeValue(r: ArgReader, text: string): ScopeName | number {
  if (SCOPES.includes(text)) return text as ScopeName;
  const n = /^[0-9]+$/.test(text) ? Number(text) : NaN;
  if (!(n >= 0 && n <= SCOPE_MAX)) throw r.fail(`scope ${text}`, `must be ${SCOPES.join(', ')} or a number from 0 to ${SCOPE_MAX}`);
  return n;
}

function lifetime(r: ArgReader, key: string, field: string): number | 'forever' {
  const v = r.value(key, [field, 'cacheinfo']);
  if (v === 'forever') return 'forever';
  if (!/^[0-9]+$/.test(v) || Number(v) > U32_MAX) throw r.fail(`${key} ${v}`, 'must be a number of seconds or forever');
  return Number(v);
}

function setAddress(r: ArgReader, into: { address?: string }, typed: string, value: string): void {
  if (into.address !== undefined) throw r.fail(typed, `the address is already ${into.address}`);
  into.address = value;
  r.tokens.note(['address', 'local'], typed);
}

function parseModify(r: ArgReader, verb: 'add' | 'replace' | 'delete'): AddressCommand {
  const input: Partial<AddressInput> & { flags: Array<(typeof SETTABLE_FLAGS)[number]> } = { flags: [] };
  while (!r.done) {
    const k = r.keyword(Object.values(K));
    if (k === K.dev) input.dev = r.value('dev', ['dev']);
    else if (k === K.local) setAddress(r, input, `local ${r.peek() ?? ''}`, r.next('the address'));
    else if (k === K.peer) input.peer = r.value('peer', ['peer', 'address']);
    else if (k === K.broadcast) input.broadcast = r.value('broadcast', ['broadcast']);
    else if (k === K.anycast) input.anycast = r.value('anycast', ['anycast']);
    else if (k === K.label) input.label = r.value('label', ['label']);
    else if (k === K.scope) input.scope = scopeValue(r, r.value('scope', ['scope']));
    else if (k === K.metric) input.metric = r.integer('metric', ['metric', 'rtPriority'], 0, U32_MAX);
    else if (k === K.valid) input.validLifetime = lifetime(r, 'valid_lft', 'validLifetime');
    else if (k === K.preferred) input.preferredLifetime = lifetime(r, 'preferred_lft', 'preferredLifetime');
    else if (k !== undefined) throw r.fail(k.name, 'not valid here');
    else {
      const flag = r.keyword(FLAGS);
      if (flag !== undefined) {
        input.flags.push(flag.name as (typeof SETTABLE_FLAGS)[number]);
        r.tokens.note(['flags'], flag.name);
      } else if (input.address === undefined && !r.peek()!.startsWith('-')) {
        const a = r.next();
        setAddress(r, input, a, a);
      } else throw r.unexpected('ip address add IFADDR dev DEV [peer P] [broadcast B|+|-] [label L] [scope S] [metric N] [valid_lft T] [preferred_lft T] [nodad] [noprefixroute] …');
    }
  }
  if (input.address === undefined) throw r.error('which address? (ip address add IFADDR dev DEV)');
  if (input.dev === undefined) throw r.error('dev DEV is required');
  r.tokens.subject = `${input.address} dev ${input.dev}`;
  if (verb === 'delete') {
    const extra = (['broadcast', 'anycast', 'scope', 'metric', 'validLifetime', 'preferredLifetime'] as const).find((f) => input[f] !== undefined);
    if (extra !== undefined || input.flags.length > 0) throw r.error(`${extra ?? input.flags[0]}: not used when deleting (address, dev, peer and label select the address)`);
    const del: AddressDeleteInput = { dev: input.dev, address: input.address };
    if (input.peer !== undefined) del.peer = input.peer;
    if (input.label !== undefined) del.label = input.label;
    return { verb, input: del };
  }
  const { flags, ...rest } = input;
  const add: AddressInput = { ...(rest as AddressInput) };
  if (flags.length > 0) add.flags = flags;
  return { verb, input: add };
}

function parseFilter(r: ArgReader, verb: 'flush' | 'show'): AddressCommand {
  const cmd: { dev?: string; scope?: ScopeName | number; up: boolean } = { up: false };
  while (!r.done) {
    if (r.keyword([K.dev])) cmd.dev = r.value('dev', ['dev']);
    else if (verb === 'flush' && r.keyword([K.scope])) cmd.scope = scopeValue(r, r.value('scope', ['scope']));
    else if (verb === 'show' && r.keyword([K.up])) cmd.up = true;
    else if (cmd.dev === undefined && !r.peek()!.startsWith('-')) {
      cmd.dev = r.next();
      r.tokens.note('dev', cmd.dev);
    } else throw r.unexpected(verb === 'flush' ? 'flush filters: dev DEV, scope SCOPE' : 'show filters: [dev] DEV, up');
  }
  if (cmd.dev !== undefined) r.tokens.subject = `dev ${cmd.dev}`;
  if (verb === 'flush') {
    if (cmd.dev === undefined && cmd.scope === undefined) throw r.error('flush needs a filter (dev DEV or scope SCOPE), as in ip');
    const out: AddressCommand = { verb: 'flush' };
    if (cmd.dev !== undefined) out.dev = cmd.dev;
    if (cmd.scope !== undefined) out.scope = cmd.scope;
    return out;
  }
  const out: AddressCommand = { verb: 'show', up: cmd.up };
  if (cmd.dev !== undefined) out.dev = cmd.dev;
  return out;
}

/** Parse `ip address VERB …` (verb already resolved). */
export function parseAddressCommand(verb: 'add' | 'replace' | 'delete' | 'flush' | 'show', words: readonly string[], label = `ip address ${verb}`): { command: AddressCommand; tokens: TokenMap } {
  const r = new ArgReader(label, words);
  const command = verb === 'flush' || verb === 'show' ? parseFilter(r, verb) : parseModify(r, verb);
  return { command, tokens: r.tokens };
}
