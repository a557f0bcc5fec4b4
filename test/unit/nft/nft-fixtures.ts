/**
 * Reading the netfilter fixtures (fixtures/netfilter/*.json) in unit tests: the batch a real
 * `nft` sent, split into messages, so builders can be compared with it byte for byte.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDatagram, type NetlinkMessage } from '../../../src/netlink/message.js';
import { NfnlMsg } from '../../../src/nft/constants.js';
import { fromHex } from '../../helpers/hex.js';

export const NETFILTER_FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'fixtures', 'netfilter');

export interface FixtureFile {
  name: string;
  description: string;
  datagrams: { direction: 'request' | 'reply'; hex: string }[];
}

export function loadFixture(name: string): FixtureFile {
  return JSON.parse(readFileSync(join(NETFILTER_FIXTURES, `${name}.json`), 'utf8')) as FixtureFile;
}

/** The object and batch fixtures of this module (the expression corpus has its own tests). */
export function objectFixtureNames(): string[] {
  return readdirSync(NETFILTER_FIXTURES)
    .filter((f) => f.endsWith('.json') && !f.startsWith('expr-'))
    .map((f) => f.slice(0, -'.json'.length))
    .sort();
}

/** Every datagram of a fixture with its messages. */
export function datagramsOf(name: string): { direction: string; bytes: Uint8Array; messages: NetlinkMessage[] }[] {
  return loadFixture(name).datagrams.map((d) => {
    const bytes = fromHex(d.hex);
    return { direction: d.direction, bytes, messages: parseDatagram(bytes) };
  });
}

/** The commands (between BATCH_BEGIN and BATCH_END) of the last batch nft sent. */
export function batchCommands(name: string): NetlinkMessage[] {
  const batches = datagramsOf(name).filter((d) => d.direction === 'request' && d.messages[0]?.type === NfnlMsg.NFNL_MSG_BATCH_BEGIN);
  const last = batches[batches.length - 1];
  if (!last) throw new Error(`${name}: no batch`);
  return last.messages.slice(1, -1);
}

/** The replies nft received after its last batch. */
export function repliesAfterBatch(name: string): NetlinkMessage[] {
  const all = datagramsOf(name);
  let last = -1;
  all.forEach((d, i) => {
    if (d.direction === 'request' && d.messages[0]?.type === NfnlMsg.NFNL_MSG_BATCH_BEGIN) last = i;
  });
  return all.slice(last + 1).filter((d) => d.direction === 'reply').flatMap((d) => d.messages);
}
