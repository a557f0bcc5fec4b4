/**
 * A batch command: one nf_tables message as a value (type, family, NLM_F_* flags and typed
 * attributes), with a description in nft's words (`add rule ip nat POSTROUTING`) so a failed
 * batch can say which command failed.
 */
import { NlmFlags } from '../netlink/constants.js';
import type { ChainAttributes } from './chain.js';
import type { NftMsgName } from './constants.js';
import type { FlowtableAttributes } from './flowtable.js';
import type { NfFamily } from './nfgenmsg.js';
import type { NftObject } from './object.js';
import type { RuleAttributes } from './rule.js';
import type { SetElementMessageAttributes } from './set-element.js';
import type { SetAttributes } from './set.js';
import type { TableAttributes } from './table.js';

/** The attribute type each message type of a batch carries. */
export interface CommandAttributes {
  NFT_MSG_NEWTABLE: TableAttributes;
  NFT_MSG_DELTABLE: TableAttributes;
  NFT_MSG_DESTROYTABLE: TableAttributes;
  NFT_MSG_NEWCHAIN: ChainAttributes;
  NFT_MSG_DELCHAIN: ChainAttributes;
  NFT_MSG_DESTROYCHAIN: ChainAttributes;
  NFT_MSG_NEWRULE: RuleAttributes;
  NFT_MSG_DELRULE: RuleAttributes;
  NFT_MSG_DESTROYRULE: RuleAttributes;
  NFT_MSG_NEWSET: SetAttributes;
  NFT_MSG_DELSET: SetAttributes;
  NFT_MSG_DESTROYSET: SetAttributes;
  NFT_MSG_NEWSETELEM: SetElementMessageAttributes;
  NFT_MSG_DELSETELEM: SetElementMessageAttributes;
  NFT_MSG_DESTROYSETELEM: SetElementMessageAttributes;
  NFT_MSG_NEWOBJ: NftObject;
  NFT_MSG_DELOBJ: NftObject;
  NFT_MSG_DESTROYOBJ: NftObject;
  NFT_MSG_NEWFLOWTABLE: FlowtableAttributes;
  NFT_MSG_DELFLOWTABLE: FlowtableAttributes;
  NFT_MSG_DESTROYFLOWTABLE: FlowtableAttributes;
}
export type CommandType = keyof CommandAttributes & NftMsgName;

/** One command of a batch. */
export type NftCommand = {
  [M in CommandType]: {
    type: M;
    family: NfFamily;
    /** NLM_F_* flags besides NLM_F_REQUEST (and NLM_F_ACK, which the sender adds). */
    flags?: number;
    attributes: CommandAttributes[M];
    /** What the command does in nft's words; derived from the message when absent. */
    description?: string;
  };
}[CommandType];

/** Verb and noun of each command type, e.g. NFT_MSG_DELSETELEM → ['delete', 'element']. */
const WORDS: Record<CommandType, readonly [verb: string, noun: string]> = {
  NFT_MSG_NEWTABLE: ['add', 'table'], NFT_MSG_DELTABLE: ['delete', 'table'], NFT_MSG_DESTROYTABLE: ['destroy', 'table'],
  NFT_MSG_NEWCHAIN: ['add', 'chain'], NFT_MSG_DELCHAIN: ['delete', 'chain'], NFT_MSG_DESTROYCHAIN: ['destroy', 'chain'],
  NFT_MSG_NEWRULE: ['add', 'rule'], NFT_MSG_DELRULE: ['delete', 'rule'], NFT_MSG_DESTROYRULE: ['destroy', 'rule'],
  NFT_MSG_NEWSET: ['add', 'set'], NFT_MSG_DELSET: ['delete', 'set'], NFT_MSG_DESTROYSET: ['destroy', 'set'],
  NFT_MSG_NEWSETELEM: ['add', 'element'], NFT_MSG_DELSETELEM: ['delete', 'element'], NFT_MSG_DESTROYSETELEM: ['destroy', 'element'],
  NFT_MSG_NEWOBJ: ['add', 'object'], NFT_MSG_DELOBJ: ['delete', 'object'], NFT_MSG_DESTROYOBJ: ['destroy', 'object'],
  NFT_MSG_NEWFLOWTABLE: ['add', 'flowtable'], NFT_MSG_DELFLOWTABLE: ['delete', 'flowtable'], NFT_MSG_DESTROYFLOWTABLE: ['destroy', 'flowtable'],
};

/** The parts that are there, space-separated (a loop: a batch describes every one of its commands). */
function words(...parts: (string | number | bigint | undefined)[]): string {
  let out = '';
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i];
    if (p === undefined || p === '') continue;
    out = out === '' ? `${p}` : `${out} ${p}`;
  }
  return out;
}

/**
 * The last rule description made, given again while a batch's rules go to the same chain: a
 * 10,000-rule batch built 10,000 equal strings, a quarter of what its sending allocated.
 */
let lastRule: { verb: string; family: unknown; table: unknown; chain: unknown; text: string } | undefined;

function describeRule(verb: string, family: NftCommand['family'], table: unknown, chain: unknown): string {
  const last = lastRule;
  if (last && last.verb === verb && last.family === family && last.table === table && last.chain === chain) return last.text;
  const text = words(verb, 'rule', family, table as string, chain as string);
  lastRule = { verb, family, table, chain, text };
  return text;
}

/** `add rule ip nat POSTROUTING`, `delete table inet filter`, `flush chain ip nat x` … */
export function describeCommand(command: NftCommand): string {
  if (command.description) return command.description;
  const flags = command.flags ?? 0;
  let [verb, noun] = WORDS[command.type] ?? [command.type, ''];
  const family = command.family;
  const a = command.attributes as Record<string, unknown>;
  switch (command.type) {
    case 'NFT_MSG_NEWTABLE':
    case 'NFT_MSG_NEWCHAIN':
    case 'NFT_MSG_NEWSET':
    case 'NFT_MSG_NEWOBJ':
    case 'NFT_MSG_NEWFLOWTABLE':
      if (flags & NlmFlags.NLM_F_EXCL) verb = 'create';
      break;
    case 'NFT_MSG_NEWRULE':
      if (flags & NlmFlags.NLM_F_REPLACE) verb = 'replace';
      else if (!(flags & NlmFlags.NLM_F_APPEND)) verb = 'insert';
      break;
    case 'NFT_MSG_DELRULE':
      if (a.handle === undefined && a.id === undefined) return a.chain === undefined ? words('flush table', family, a.table as string) : words('flush chain', family, a.table as string, a.chain as string);
      break;
    case 'NFT_MSG_DELSETELEM':
      if ((a.elements as unknown[] | undefined) === undefined) return words('flush set', family, a.table as string, a.set as string);
      break;
  }
  switch (command.type) {
    case 'NFT_MSG_NEWTABLE': case 'NFT_MSG_DELTABLE': case 'NFT_MSG_DESTROYTABLE':
      return words(verb, noun, family, (a.name as string) ?? (a.handle !== undefined ? `handle ${a.handle}` : undefined));
    case 'NFT_MSG_NEWRULE': case 'NFT_MSG_DELRULE': case 'NFT_MSG_DESTROYRULE':
      if (a.handle !== undefined) return words(verb, noun, family, a.table as string, a.chain as string, `handle ${a.handle}`);
      return describeRule(verb, family, a.table, a.chain);
    case 'NFT_MSG_NEWSETELEM': case 'NFT_MSG_DELSETELEM': case 'NFT_MSG_DESTROYSETELEM':
      return words(verb, noun, family, a.table as string, a.set as string);
    case 'NFT_MSG_NEWOBJ': case 'NFT_MSG_DELOBJ': case 'NFT_MSG_DESTROYOBJ':
      return words(verb, typeof a.type === 'string' ? a.type : noun, family, a.table as string, a.name as string);
    default:
      return words(verb, noun, family, a.table as string, (a.name as string) ?? (a.handle !== undefined ? `handle ${a.handle}` : undefined));
  }
}
