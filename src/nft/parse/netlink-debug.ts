/**
 * What `nft --debug=netlink` prints for the objects of a batch (libnftnl's default output, as
 * nft 1.0.6 calls it), so netns-ts's output can be diffed with nft's:
 *
 *   __set%d t 3 size 2                            a set: name, table, flags (hex), options
 *   __set%d t 0                                   its elements
 *   	element 00001600  : 0 [end]	element …
 *   ip t filt                                     a rule: family, table, chain [position]
 *     [ payload load 2b @ transport header + 2 => reg 1 ]
 *     [ lookup reg 1 set __set%d ]
 *                                                 (a blank line, or the userdata line)
 *
 * Chains print as nft 1.0.6 prints them, before their table and name are filled in
 * (`ip (null) (null) use 0 type nat hook postrouting prio 100 packets 0 bytes 0`); tables and
 * deletions print nothing. nft also prints the cached ruleset it read for some commands (a
 * rule `position`, `replace`); netns-ts prints only what it sends.
 */
import type { NftCommand } from '../command.js';
import { NftSetFlags, NftSetElemFlags, NftSetPolicy } from '../constants.js';
import { describeExpression } from '../expressions/expression.js';
import { flagBits } from '../expressions/definition.js';
import { HOST_LITTLE_ENDIAN } from '../render/bytes.js';
import { hookName } from '../hooks.js';
import { ruleUdata, setElemUdata } from '../udata.js';
import type { Data } from '../expressions/data.js';
import { Writer } from '../../netlink/writer.js';
import type { FieldCodec } from '../../netlink/field.js';
import type { SetElementAttributes } from '../set-element.js';

/** Register words as libnftnl prints data without a prefix: `%.8x ` each, host order. */
function words(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 4) {
    const word = new Uint8Array(4);
    word.set(bytes.subarray(i, i + 4));
    out += `${new DataView(word.buffer).getUint32(0, HOST_LITTLE_ENDIAN).toString(16).padStart(8, '0')} `;
  }
  return out;
}

function dataText(d: Data | undefined): string {
  if (d?.value) return words(d.value);
  const v = d?.verdict;
  if (!v) return '';
  const code = typeof v.code === 'string' ? v.code : 'unknown';
  return v.chain !== undefined ? `${code} -> ${v.chain} ` : `${code} `;
}

/** Userdata bytes as libnftnl prints them: printable characters as is, others as \xHH. */
function escaped(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, '0')}`)).join('');
}

function encoded<T>(codec: FieldCodec<T>, value: T): Uint8Array {
  const w = new Writer();
  codec.encode(w, value, '');
  return w.finish().slice();
}

function elementText(e: SetElementAttributes): string {
  let out = `element ${words(e.key?.value ?? new Uint8Array())}`;
  if (e.keyEnd?.value) out += ` - ${words(e.keyEnd.value)}`;
  out += ` : ${dataText(e.data)}${flagBits(e.flags, NftSetElemFlags)} [end]`;
  if (e.userdata && e.userdata.length > 0) out += `  userdata = { ${escaped(encoded(setElemUdata, e.userdata))} }`;
  return out;
}

function setText(c: Extract<NftCommand, { type: 'NFT_MSG_NEWSET' }>): string {
  const a = c.attributes;
  let out = `${a.name} ${a.table} ${flagBits(a.flags, NftSetFlags).toString(16)}`;
  if (a.timeout !== undefined) out += ` timeout ${a.timeout}ms`;
  if (a.gcInterval !== undefined) out += ` gc_interval ${a.gcInterval}ms`;
  if (a.policy !== undefined) out += ` policy ${typeof a.policy === 'number' ? a.policy : NftSetPolicy[a.policy]}`;
  if (a.desc?.size !== undefined) out += ` size ${a.desc.size}`;
  return `${out}\n`;
}

function chainText(c: Extract<NftCommand, { type: 'NFT_MSG_NEWCHAIN' }>): string {
  const a = c.attributes;
  let out = `${c.family} (null) (null) use 0`;
  if (a.hook?.hooknum !== undefined) {
    out += ` type ${a.type ?? '(null)'} hook ${hookName(c.family, a.hook.hooknum)} prio ${a.hook.priority ?? 0} packets 0 bytes 0`;
    if (a.hook.device !== undefined) out += ` dev ${a.hook.device} `;
  }
  return `${out}\n`;
}

function ruleText(c: Extract<NftCommand, { type: 'NFT_MSG_NEWRULE' }>): string {
  const a = c.attributes;
  let out = `${c.family} ${a.table} ${a.chain}${a.position !== undefined ? ` ${a.position}` : ''}\n`;
  for (const e of a.expressions ?? []) out += `  ${describeExpression(e)}\n`;
  if (a.userdata && a.userdata.length > 0) out += `  userdata = { ${escaped(encoded(ruleUdata, a.userdata))} }`;
  return `${out}\n`;
}

/** The text `nft --debug=netlink` prints for these batch commands. */
export function netlinkDebugText(batch: readonly NftCommand[]): string {
  let out = '';
  for (const c of batch) {
    switch (c.type) {
      case 'NFT_MSG_NEWCHAIN':
        out += chainText(c);
        break;
      case 'NFT_MSG_NEWSET':
        out += setText(c);
        break;
      case 'NFT_MSG_NEWSETELEM':
      case 'NFT_MSG_DELSETELEM': {
        const a = c.attributes;
        if (a.elements === undefined) break;
        out += `${a.set} ${a.table} 0\n${a.elements.map((e) => `\t${elementText(e)}`).join('')}\n`;
        break;
      }
      case 'NFT_MSG_NEWRULE':
        out += ruleText(c);
        break;
      default:
        break;
    }
  }
  return out;
}
