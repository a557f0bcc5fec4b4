/**
 * Helpers for nf_tables kernel tests: a fresh network namespace per test (nf_tables state is
 * per namespace), an NftClient inside it, and the real `nft` as the oracle.
 */
import { afterEach } from 'vitest';
import { createNetns } from '../../../src/netns/index.js';
import { connectInNetns } from '../../../src/netns/connect.js';
import { NftClient } from '../../../src/nft/client.js';
import type { ConnectOptions } from '../../../src/netlink/connect.js';
import { ipNetnsDelete, randomName, sh } from '../sandbox.js';

/** Registers cleanup and returns a maker of fresh namespaces and clients. */
export function nftScratch() {
  const namespaces: string[] = [];
  const clients: NftClient[] = [];
  afterEach(() => {
    for (const c of clients.splice(0)) c.close();
    for (const n of namespaces.splice(0)) ipNetnsDelete(n);
  });
  return {
    netns(): string {
      const name = randomName('nft');
      namespaces.push(name);
      createNetns(name);
      return name;
    },
    client(netns: string, options: Omit<ConnectOptions, 'netnsFd' | 'protocol'> = {}): NftClient {
      const c = new NftClient(connectInNetns(netns, { ...options, protocol: 12 }));
      clients.push(c);
      return c;
    },
  };
}

/** `nft ARGS…` inside the namespace; returns stdout. */
export function nft(netns: string, ...args: string[]): string {
  return sh('ip', ['netns', 'exec', netns, 'nft', ...args]);
}

/** `nft -j list ruleset` inside the namespace, the metainfo entry dropped. */
export function nftJson(netns: string): Record<string, any>[] {
  const parsed = JSON.parse(nft(netns, '-j', 'list', 'ruleset')) as { nftables: Record<string, any>[] };
  return parsed.nftables.filter((e) => !('metainfo' in e));
}

/** Objects of one kind from `nft -j list ruleset`, e.g. `of(json, 'rule')`. */
export function of(json: Record<string, any>[], kind: string): any[] {
  return json.filter((e) => kind in e).map((e) => e[kind]);
}
