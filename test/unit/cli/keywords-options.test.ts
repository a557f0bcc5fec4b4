import { describe, expect, it } from 'vitest';
import { findKeyword, kw, matchesKeyword } from '../../../src/cli/keywords.js';
import { ADDRESS_VERBS, findVerb, IP_OBJECTS, LINK_VERBS, NETNS_VERBS, ROUTE_VERBS } from '../../../src/cli/ip/objects.js';
import { parseIpOptions } from '../../../src/cli/ip/options.js';
import { UsageError } from '../../../src/cli/usage-error.js';

describe('keywords match as in iproute2', () => {
  it('full word, alias, or an abbreviation at least `min` long', () => {
    const k = kw('txqueuelen', 1, ['txqlen', 'qlen']);
    expect(['t', 'txq', 'txqueuelen', 'txqlen', 'qlen'].map((w) => matchesKeyword(w, k))).toEqual([true, true, true, true, true]);
    expect(['txqueuelenx', 'q', 'x', ''].map((w) => matchesKeyword(w, k))).toEqual([false, false, false, false]);
    expect(matchesKeyword('de', kw('dev'))).toBe(false);
  });

  it('objects resolve in ip order: a, l, r, n, m (maddress), mo, net', () => {
    const object = (w: string) => findKeyword(w, IP_OBJECTS)?.name;
    expect(['a', 'addr', 'l', 'li', 'r', 'ro', 'n', 'ne', 'neigh', 'm', 'mo', 'net', 'netns', 'netc', 'nexthop'].map(object)).toEqual([
      'address', 'address', 'link', 'link', 'route', 'route', 'neighbor', 'neighbor', 'neighbor', 'maddress', 'monitor', 'netns', 'netns', 'netconf', 'nexthop',
    ]);
    expect(findKeyword('m', IP_OBJECTS)?.object).toBeUndefined(); // maddress: refused by name, not run as monitor
  });

  it('commands resolve as with ip 6.1', () => {
    expect(['a', 's', 'sh', 'l', 'd', 'de', 'c'].map((w) => findVerb(w, LINK_VERBS)?.verb)).toEqual(['add', 'set', 'show', 'show', 'delete', 'delete', 'set']);
    expect(['a', 's', 'sa', 'd', 'f', 'r'].map((w) => findVerb(w, ADDRESS_VERBS)?.name)).toEqual(['add', 'show', 'save', 'delete', 'flush', 'replace']);
    expect(['a', 'r', 'g', 'd', 's', 'f'].map((w) => findVerb(w, ROUTE_VERBS)?.name)).toEqual(['add', 'replace', 'get', 'delete', 'show', 'flush']);
    expect(['s', 'se', 'list-i', 'a', 'd', 'e', 'i'].map((w) => findVerb(w, NETNS_VERBS)?.verb)).toEqual(['list', 'set', 'list-id', 'add', 'delete', 'exec', 'identify']);
  });
});

describe('ip options', () => {
  it('abbreviations and values', () => {
    const { options, rest } = parseIpOptions(['-ne', 'blue', '-de', '-json', '-p', '-s', '-s', '-4', 'link', 'show']);
    expect(options).toMatchObject({ netns: 'blue', details: true, json: true, pretty: true, stats: 2, family: 4 });
    expect(rest).toEqual(['link', 'show']);
    expect(parseIpOptions(['-family', 'inet6', 'a']).options.family).toBe(6);
    expect(parseIpOptions(['-b', 'file', '-force']).options).toMatchObject({ batch: 'file', force: true });
  });

  it('options ip has but netns-ts does not are refused by name', () => {
    expect(() => parseIpOptions(['-br', 'link'])).toThrow('ip: option -br (-brief) is not supported by netns-ts');
    expect(() => parseIpOptions(['-o', 'link'])).toThrow(UsageError);
    expect(() => parseIpOptions(['-zzz'])).toThrow(/unknown/);
    expect(() => parseIpOptions(['-n'])).toThrow(/needs a value/);
  });
});
