/**
 * `ip neigh add|change|replace|delete|flush|show` words → what to do (pure). As iproute2 6.1:
 * `lladdr` may be `ll`, `proxy` may be `pr` (when adding), `nud`, `dev` and `router` are
 * written in full, and NUD states may be abbreviated (`nud reach`).
 */
import { ArgReader } from '../args.js';
import { findKeyword, kw } from '../keywords.js';
import type { TokenMap } from '../tokens.js';
import type { NeighbourDeleteInput, NeighbourInput, NeighbourStateInput } from '../../route/neighbours.js';

/** NUD states in the order ip tries them, so `nud n` is noarp as with ip. */
const STATES = ['permanent', 'reachable', 'noarp', 'none', 'stale', 'incomplete', 'delay', 'probe', 'failed'].map((s) => kw(s, 1));

export type NeighCommand =
  | { verb: 'add' | 'change' | 'replace'; input: NeighbourInput }
  | { verb: 'delete'; input: NeighbourDeleteInput }
  | { verb: 'flush' | 'show'; dev?: string; proxy: boolean; states?: NeighbourStateInput[]; to?: string; /** `nud all` */ all?: boolean };

const K = {
  dev: kw('dev'),
  lladdr: kw('lladdr', 2),
  nud: kw('nud'),
  proxy: kw('proxy', 2),
  router: kw('router'),
  externLearn: kw('extern_learn'),
  to: kw('to'),
} as const;

function state(r: ArgReader, text: string): NeighbourStateInput {
  const k = findKeyword(text, STATES);
  if (k === undefined) throw r.fail(`nud ${text}`, `must be one of ${STATES.map((s) => s.name).join(', ')}`);
  return k.name as NeighbourStateInput;
}

function parseModify(r: ArgReader, verb: 'add' | 'change' | 'replace' | 'delete'): NeighCommand {
  const input: Partial<NeighbourInput> = {};
  const setAddress = (typed: string, value: string): void => {
    if (input.address !== undefined) throw r.fail(typed, `the address is already ${input.address}`);
    input.address = value;
    r.tokens.note(['address', 'dst'], typed);
  };
  while (!r.done) {
    const k = r.keyword(Object.values(K));
    if (k === K.dev) input.dev = r.value('dev', ['dev']);
    else if (k === K.lladdr) input.lladdr = r.value('lladdr', ['lladdr']);
    else if (k === K.nud) input.state = state(r, r.value('nud', ['state']));
    else if (k === K.proxy) {
      input.proxy = true;
      setAddress(`proxy ${r.peek() ?? ''}`, r.next('the proxied address'));
    } else if (k === K.router) input.router = true;
    else if (k === K.externLearn) input.externLearn = true;
    else if (k === K.to) setAddress(`to ${r.peek() ?? ''}`, r.next('the address'));
    else if (input.address === undefined && !r.peek()!.startsWith('-')) {
      const a = r.next();
      setAddress(a, a);
    } else throw r.unexpected('ip neigh add ADDR [lladdr LLADDR] [nud STATE] [router] dev DEV | proxy ADDR dev DEV');
  }
  if (input.address === undefined) throw r.error('which address? (ip neigh add ADDR … dev DEV)');
  if (input.dev === undefined) throw r.error('dev DEV is required');
  r.tokens.subject = `${input.proxy ? 'proxy ' : ''}${input.address} dev ${input.dev}`;
  if (verb === 'delete') {
    const del: NeighbourDeleteInput = { dev: input.dev, address: input.address };
    if (input.proxy) del.proxy = true;
    return { verb, input: del };
  }
  return { verb, input: input as NeighbourInput };
}

function parseFilter(r: ArgReader, verb: 'flush' | 'show'): NeighCommand {
  const c: Extract<NeighCommand, { verb: 'flush' | 'show' }> = { verb, proxy: false };
  while (!r.done) {
    if (r.keyword([K.dev])) c.dev = r.value('dev', ['dev']);
    else if (r.peek() === 'proxy') (r.next(), (c.proxy = true));
    else if (r.keyword([K.nud])) {
      const v = r.value('nud', ['state']);
      if (v === 'all') c.all = true;
      else (c.states ??= []).push(state(r, v));
    } else if (r.keyword([K.to])) c.to = r.value('to', ['address']);
    else if (c.to === undefined && !r.peek()!.startsWith('-')) c.to = (r.tokens.note('address', r.peek()!), r.next());
    else throw r.unexpected('filters: dev DEV, proxy, nud STATE, [to] ADDR');
  }
  if (c.dev !== undefined) r.tokens.subject = `dev ${c.dev}`;
  if (verb === 'flush' && c.dev === undefined && c.states === undefined && c.to === undefined) throw r.error('flush needs a filter (dev DEV, nud STATE or an address), as in ip');
  return c;
}

/** Parse `ip neigh VERB …` (verb already resolved). */
export function parseNeighCommand(verb: 'add' | 'change' | 'replace' | 'delete' | 'flush' | 'show', words: readonly string[], label = `ip neigh ${verb}`): { command: NeighCommand; tokens: TokenMap } {
  const r = new ArgReader(label, words);
  const command = verb === 'flush' || verb === 'show' ? parseFilter(r, verb) : parseModify(r, verb);
  return { command, tokens: r.tokens };
}
