/**
 * A small simulated nf_tables for unit tests, on top of the core's FakeKernel: tables, chains,
 * rules and sets with a generation counter, batches applied all or nothing (ERESTART for a
 * stale NFNL_BATCH_GENID, per-command errors, an ack for BATCH_END only after a commit), and
 * the dumps the reader uses. Hooks let a test play a concurrent writer or lose replies.
 */
import { NlmFlags, NlmsgType } from '../../../src/netlink/constants.js';
import type { NetlinkMessage } from '../../../src/netlink/message.js';
import { FakeKernel } from '../../../src/netlink/testing/index.js';
import { Writer } from '../../../src/netlink/writer.js';
import { ERESTART, NfnlMsg, NftMsg } from '../../../src/nft/constants.js';
import { messageOf, nftMessageType, type NfFamily, type NfnlBody } from '../../../src/nft/nfgenmsg.js';
import { netfilterMessageCodec } from '../../../src/nft/protocol.js';

const ENOENT = 2;
const EEXIST = 17;

export interface FakeRule { family: NfFamily; table: string; chain: string; handle: bigint; expressions: unknown[]; userdata?: unknown[] }
export interface FakeState {
  tables: { family: NfFamily; name: string; handle: bigint; flags?: unknown[] }[];
  chains: { family: NfFamily; table: string; name: string; handle: bigint }[];
  rules: FakeRule[];
  sets: { family: NfFamily; table: string; name: string; handle: bigint; keyType?: number; keyLen?: number; elements: { key: { value: Uint8Array } }[] }[];
}

function clone(s: FakeState): FakeState {
  return { tables: s.tables.map((x) => ({ ...x })), chains: s.chains.map((x) => ({ ...x })), rules: s.rules.map((x) => ({ ...x })), sets: s.sets.map((x) => ({ ...x, elements: [...x.elements] })) };
}

function decode(m: NetlinkMessage): NfnlBody<any> {
  return netfilterMessageCodec(m.type)!.decode(m.payload, m.flags, 16) as NfnlBody<any>;
}

export class FakeNftables {
  generation = 1;
  state: FakeState = { tables: [], chains: [], rules: [], sets: [] };
  private nextHandle = 1n;
  readonly kernel: FakeKernel;
  /** Batches committed. */
  commits = 0;
  /** Positive acks sent for batch commands (whether or not the batch then committed). */
  commandAcks = 0;
  /** Called when a batch begins (before the genid check): play a concurrent writer here. */
  onBatchBegin?: () => void;
  /** Called before each dump is answered (to move the generation mid-listing). */
  onDump?: (msg: number) => void;
  /** Flag a dump's parts NLM_F_DUMP_INTR while this says so (as the kernel does when a writer committed mid-dump). */
  interruptDumps?: (msg: number) => boolean;
  /** Drop every reply of the next batch (as if the receive buffer overran). */
  loseNextBatchReplies = false;
  private staged: FakeState | undefined;
  private failed = false;
  private losing = false;
  private refused = false;

  constructor() {
    this.kernel = new FakeKernel((m, k) => this.respond(m, k));
  }

  /** Commit a change as another writer would (the generation moves). */
  concurrentCommit(change: (s: FakeState) => void = () => {}): void {
    change(this.state);
    this.generation++;
    this.commits++;
  }

  handle(): bigint {
    return this.nextHandle++;
  }

  private body(msg: number, family: NfFamily, attributes: object): Uint8Array {
    const w = new Writer();
    netfilterMessageCodec(nftMessageType(msg))!.encode(w, { family, version: 0, resId: this.generation & 0xffff, attributes }, 0);
    return w.finish().slice();
  }

  private respond(m: NetlinkMessage, k: FakeKernel): Uint8Array[] | Uint8Array | void {
    const replies = this.dispatch(m, k) ?? [];
    const drop = this.losing;
    if (m.type === NfnlMsg.NFNL_MSG_BATCH_END) this.losing = false;
    return drop ? undefined : replies;
  }

  private dispatch(m: NetlinkMessage, k: FakeKernel): Uint8Array[] | Uint8Array | void {
    if (m.type === NfnlMsg.NFNL_MSG_BATCH_BEGIN) {
      this.onBatchBegin?.();
      this.losing = this.loseNextBatchReplies;
      this.loseNextBatchReplies = false;
      this.failed = false;
      this.refused = false;
      const genid = decode(m).attributes.genid as number | undefined;
      if (genid !== undefined && genid !== this.generation) {
        this.refused = true;
        return k.error(m, ERESTART);
      }
      this.staged = clone(this.state);
      return;
    }
    if (m.type === NfnlMsg.NFNL_MSG_BATCH_END) {
      const ok = !this.failed && !this.refused && this.staged;
      if (ok) {
        this.state = this.staged!;
        this.generation++;
        this.commits++;
      }
      this.staged = undefined;
      // After ERESTART the kernel drops the rest of the datagram: BATCH_END included.
      this.refused = false;
      return ok && m.flags & NlmFlags.NLM_F_ACK ? k.ack(m) : undefined;
    }
    const msg = messageOf(m.type);
    if (this.staged && !this.refused) return this.command(m, k, msg);
    if (this.refused) return;
    return this.query(m, k, msg);
  }

  private command(m: NetlinkMessage, k: FakeKernel, msg: number): Uint8Array[] {
    const s = this.staged!;
    const { family, attributes: a } = decode(m);
    const out: Uint8Array[] = [];
    let errno = 0;
    switch (msg) {
      case NftMsg.NFT_MSG_NEWTABLE:
        if (!s.tables.some((t) => t.family === family && t.name === a.name)) s.tables.push({ family, name: a.name, handle: this.handle(), ...(a.flags ? { flags: a.flags } : {}) });
        else if (m.flags & NlmFlags.NLM_F_EXCL) errno = EEXIST;
        break;
      case NftMsg.NFT_MSG_DELTABLE:
        if (!s.tables.some((t) => t.family === family && t.name === a.name)) errno = ENOENT;
        s.tables = s.tables.filter((t) => !(t.family === family && t.name === a.name));
        s.chains = s.chains.filter((c) => !(c.family === family && c.table === a.name));
        s.rules = s.rules.filter((r) => !(r.family === family && r.table === a.name));
        break;
      case NftMsg.NFT_MSG_NEWCHAIN:
        if (!s.tables.some((t) => t.family === family && t.name === a.table)) errno = ENOENT;
        else if (!s.chains.some((c) => c.family === family && c.table === a.table && c.name === a.name)) s.chains.push({ family, table: a.table, name: a.name, handle: this.handle() });
        break;
      case NftMsg.NFT_MSG_NEWRULE: {
        if (!s.chains.some((c) => c.family === family && c.table === a.table && c.name === a.chain)) {
          errno = ENOENT;
          break;
        }
        const rule: FakeRule = { family, table: a.table, chain: a.chain, handle: this.handle(), expressions: a.expressions ?? [], ...(a.userdata ? { userdata: a.userdata } : {}) };
        s.rules.push(rule);
        if (m.flags & NlmFlags.NLM_F_ECHO) out.push(k.reply(m, m.type, this.body(NftMsg.NFT_MSG_NEWRULE, family, { table: rule.table, chain: rule.chain, handle: rule.handle, expressions: rule.expressions }), NlmFlags.NLM_F_CREATE));
        break;
      }
      case NftMsg.NFT_MSG_DELRULE:
        if (a.handle !== undefined && !s.rules.some((r) => r.family === family && r.table === a.table && r.handle === a.handle)) errno = ENOENT;
        s.rules = s.rules.filter((r) => !(r.family === family && r.table === a.table && (a.chain === undefined || r.chain === a.chain) && (a.handle === undefined || r.handle === a.handle)));
        break;
      case NftMsg.NFT_MSG_NEWSET:
        if (!s.sets.some((x) => x.family === family && x.table === a.table && x.name === a.name)) s.sets.push({ family, table: a.table, name: a.name, handle: this.handle(), keyType: a.keyType, keyLen: a.keyLen, elements: [] });
        break;
      case NftMsg.NFT_MSG_NEWSETELEM: {
        const set = s.sets.find((x) => x.family === family && x.table === a.table && x.name === a.set);
        if (!set) errno = ENOENT;
        else set.elements.push(...(a.elements ?? []).map((e: { key: { value: Uint8Array } }) => ({ key: e.key })));
        break;
      }
    }
    if (errno) {
      this.failed = true;
      out.push(k.error(m, errno, { message: errno === ENOENT ? 'No such object' : 'Exists', offset: 16 + 4 }));
    } else if (m.flags & NlmFlags.NLM_F_ACK) {
      this.commandAcks++;
      out.push(k.ack(m));
    }
    return out;
  }

  private query(m: NetlinkMessage, k: FakeKernel, msg: number): Uint8Array[] {
    if (msg === NftMsg.NFT_MSG_GETGEN) {
      return [k.reply(m, nftMessageType(NftMsg.NFT_MSG_NEWGEN), this.body(NftMsg.NFT_MSG_NEWGEN, 'unspec', { id: this.generation })), k.ack(m)];
    }
    this.onDump?.(msg);
    const parts: Uint8Array[] = [];
    const flags = this.interruptDumps?.(msg) ? NlmFlags.NLM_F_DUMP_INTR : 0;
    const part = (newMsg: number, family: NfFamily, attributes: object) => parts.push(k.part(m, nftMessageType(newMsg), this.body(newMsg, family, attributes), flags));
    // As the kernel: a dump of one family lists that family's objects only.
    const requested = decode(m).family;
    const wanted = <T extends { family: NfFamily }>(list: T[]): T[] => (requested === 'unspec' ? list : list.filter((x) => x.family === requested));
    const s = { tables: wanted(this.state.tables), chains: wanted(this.state.chains), rules: wanted(this.state.rules), sets: wanted(this.state.sets) };
    switch (msg) {
      case NftMsg.NFT_MSG_GETTABLE: for (const t of s.tables) part(NftMsg.NFT_MSG_NEWTABLE, t.family, { name: t.name, handle: t.handle, ...(t.flags ? { flags: t.flags } : {}) }); break;
      case NftMsg.NFT_MSG_GETCHAIN: for (const c of s.chains) part(NftMsg.NFT_MSG_NEWCHAIN, c.family, { table: c.table, name: c.name, handle: c.handle }); break;
      case NftMsg.NFT_MSG_GETRULE: for (const r of s.rules) part(NftMsg.NFT_MSG_NEWRULE, r.family, { table: r.table, chain: r.chain, handle: r.handle, expressions: r.expressions, ...(r.userdata ? { userdata: r.userdata } : {}) }); break;
      case NftMsg.NFT_MSG_GETSET: for (const x of s.sets) part(NftMsg.NFT_MSG_NEWSET, x.family, { table: x.table, name: x.name, handle: x.handle }); break;
      case NftMsg.NFT_MSG_GETSETELEM: {
        const { family, attributes: a } = decode(m);
        const set = s.sets.find((x) => x.family === family && x.table === a.table && x.name === a.set);
        if (set && set.elements.length) part(NftMsg.NFT_MSG_NEWSETELEM, family, { table: set.table, set: set.name, elements: set.elements });
        break;
      }
      case NftMsg.NFT_MSG_GETOBJ: case NftMsg.NFT_MSG_GETFLOWTABLE: break;
      default: return [k.error(m, 95)];
    }
    return [...parts, k.done(m)];
  }

  /** Messages the code under test sent, by NLMSG type (for "nothing was sent" checks). */
  sentTypes(): number[] {
    return this.kernel.received.map((r) => r.type).filter((t) => t !== NlmsgType.NLMSG_NOOP);
  }
}
