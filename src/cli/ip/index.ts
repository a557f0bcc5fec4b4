/**
 * `netns-ts ip [OPTIONS] OBJECT [COMMAND [ARGS…]]`: the ip language, executed through netns-ts.
 * Options are applied to a context derived for this one command (so `-n blue` in one batch
 * line does not leak into the next).
 */
import type { CliContext } from '../context.js';
import { findKeyword } from '../keywords.js';
import { UsageError } from '../usage-error.js';
import { runAddress } from './addr-run.js';
import { IP_USAGE, OBJECT_USAGE } from './help.js';
import { runLink } from './link-run.js';
import { runMonitor } from './monitor.js';
import { runNeigh } from './neigh-run.js';
import { runNetns } from './netns.js';
import { ADDRESS_VERBS, findVerb, IP_OBJECTS, LINK_VERBS, NEIGH_VERBS, ROUTE_VERBS, TUNTAP_VERBS, type VerbKeyword } from './objects.js';
import { parseIpOptions, type IpOptions } from './options.js';
import { runRoute } from './route-run.js';
import { runTuntap } from './tuntap-run.js';

/** The context a command runs in, from the session's and the command's own options. */
export function contextWithOptions(ctx: CliContext, o: IpOptions): CliContext {
  const derived: CliContext = { ...ctx, json: ctx.json || o.json, pretty: ctx.pretty || o.pretty, details: ctx.details || o.details, stats: ctx.stats || o.stats > 0 };
  if (o.netns !== undefined) derived.netns = o.netns;
  if (o.family !== undefined) derived.family = o.family;
  return derived;
}

function resolveVerb<V extends string>(object: string, word: string | undefined, table: readonly VerbKeyword<V>[], fallback: V): V {
  if (word === undefined) return fallback;
  const k = findVerb(word, table);
  if (k === undefined) throw new UsageError(`ip ${object}: command "${word}" is unknown (try "ip ${object} help")`);
  if (k.verb === undefined) throw new UsageError(`ip ${object} ${k.name}: not supported by netns-ts (supported: ${supported(table)})`);
  return k.verb;
}

function supported<V extends string>(table: readonly VerbKeyword<V>[]): string {
  return [...new Set(table.filter((k) => k.verb !== undefined && k.verb !== 'help').map((k) => k.name))].join(', ');
}

/** Run one ip command line (the words after `ip`). Returns the exit status. */
export async function runIp(args: readonly string[], base: CliContext): Promise<number> {
  const { options, rest } = parseIpOptions(args);
  if (options.batch !== undefined) throw new UsageError('ip -batch: give it as `netns-ts -b FILE` (not inside a batch or the REPL)');
  const ctx = contextWithOptions(base, options);
  if (options.help || rest.length === 0) {
    ctx.out(IP_USAGE);
    return options.help ? 0 : 2;
  }
  const [objectWord, verbWord, ...words] = rest as [string, ...string[]];
  const object = findKeyword(objectWord, IP_OBJECTS);
  if (object === undefined) throw new UsageError(`ip: object "${objectWord}" is unknown (try "netns-ts ip help")`);
  if (object.object === undefined) throw new UsageError(`ip ${object.name}: not supported by netns-ts (supported: address, link, route, neigh, netns, tuntap, monitor)`);
  const usage = (name: keyof typeof OBJECT_USAGE): number => (ctx.out(OBJECT_USAGE[name]), 0);
  switch (object.object) {
    case 'help':
      ctx.out(IP_USAGE);
      return 0;
    case 'link': {
      const v = resolveVerb('link', verbWord, LINK_VERBS, 'show');
      return v === 'help' ? usage('link') : runLink(v, verbWord === undefined ? [] : words, ctx);
    }
    case 'address': {
      const v = resolveVerb('address', verbWord, ADDRESS_VERBS, 'show');
      return v === 'help' ? usage('address') : runAddress(v, verbWord === undefined ? [] : words, ctx);
    }
    case 'route': {
      const v = resolveVerb('route', verbWord, ROUTE_VERBS, 'show');
      return v === 'help' ? usage('route') : runRoute(v, verbWord === undefined ? [] : words, ctx);
    }
    case 'neigh': {
      const v = resolveVerb('neigh', verbWord, NEIGH_VERBS, 'show');
      return v === 'help' ? usage('neigh') : runNeigh(v, verbWord === undefined ? [] : words, ctx);
    }
    case 'tuntap': {
      const v = resolveVerb('tuntap', verbWord, TUNTAP_VERBS, 'show');
      return v === 'help' ? usage('tuntap') : runTuntap(v, verbWord === undefined ? [] : words, ctx);
    }
    case 'netns':
      return runNetns(verbWord === undefined ? [] : [verbWord, ...words], ctx);
    case 'monitor':
      return runMonitor(verbWord === undefined ? [] : [verbWord, ...words], ctx);
  }
}
