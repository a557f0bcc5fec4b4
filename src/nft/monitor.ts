/**
 * Watching nf_tables changes as they are committed (NFNLGRP_NFTABLES), like `nft monitor`.
 * Each committed transaction arrives as its object notifications followed by one
 * `generation` event naming the new generation and who committed it. An `overrun` event means
 * notifications were lost (the socket overran): re-read the ruleset to resync.
 */
import type { Connection } from '../netlink/connection.js';
import { connect, type ConnectOptions } from '../netlink/connect.js';
import { NLMSG_HDRLEN, NetlinkProtocol } from '../netlink/constants.js';
import type { EventStream } from '../netlink/event-stream.js';
import type { NetlinkMessage } from '../netlink/message.js';
import { NfnlGroup, NfnlSubsys, NftMsg, nftMsgName } from './constants.js';
import type { GenAttributes } from './gen.js';
import { messageOf, subsystemOf, type NfFamily, type NfnlBody } from './nfgenmsg.js';
import { nftMessageCodecs } from './protocol.js';

export type NftObjectKind = 'table' | 'chain' | 'rule' | 'set' | 'element' | 'object' | 'flowtable';

export type NftEvent =
  | { kind: NftObjectKind; op: 'new' | 'delete'; family: NfFamily; attributes: Record<string, unknown>; message: NetlinkMessage }
  /** The end of a committed transaction. `port` is the committing socket's netlink port. */
  | { kind: 'generation'; generation: number; port: number; pid?: number; process?: string; message: NetlinkMessage }
  /** A packet trace (with `trace: true`). */
  | { kind: 'trace'; family: NfFamily; attributes: Record<string, unknown>; message: NetlinkMessage }
  /** Notifications were lost: the view is stale, re-read the ruleset. */
  | { kind: 'overrun' }
  /** A message of a type this version does not model. */
  | { kind: 'unknown'; message: NetlinkMessage };

const KIND: Record<string, NftObjectKind> = { TABLE: 'table', CHAIN: 'chain', RULE: 'rule', SETELEM: 'element', SET: 'set', OBJ: 'object', FLOWTABLE: 'flowtable' };

/** Decode one notification. */
export function decodeNftEvent(m: NetlinkMessage): NftEvent {
  if (subsystemOf(m.type) !== NfnlSubsys.NFNL_SUBSYS_NFTABLES) return { kind: 'unknown', message: m };
  const msg = messageOf(m.type);
  const codec = nftMessageCodecs.get(msg);
  const name = nftMsgName.get(msg);
  if (!codec || !name) return { kind: 'unknown', message: m };
  const body = codec.decode(m.payload, m.flags, m.offset + NLMSG_HDRLEN) as NfnlBody<Record<string, unknown>>;
  if (msg === NftMsg.NFT_MSG_NEWGEN) {
    const a = body.attributes as GenAttributes;
    return { kind: 'generation', generation: a.id ?? 0, port: m.pid, ...(a.procPid !== undefined ? { pid: a.procPid } : {}), ...(a.procName !== undefined ? { process: a.procName } : {}), message: m };
  }
  if (msg === NftMsg.NFT_MSG_TRACE) return { kind: 'trace', family: body.family, attributes: body.attributes, message: m };
  const parsed = /^NFT_MSG_(NEW|DEL)(TABLE|CHAIN|RULE|SETELEM|SET|OBJ|FLOWTABLE)$/.exec(name);
  if (!parsed) return { kind: 'unknown', message: m };
  return { kind: KIND[parsed[2]!]!, op: parsed[1] === 'NEW' ? 'new' : 'delete', family: body.family, attributes: body.attributes, message: m };
}

export interface MonitorOptions {
  /** Also receive packet traces (NFNLGRP_NFTRACE). */
  trace?: boolean;
}

/**
 * nf_tables events from a connection. The connection joins NFNLGRP_NFTABLES (and
 * NFNLGRP_NFTRACE with `trace`); iterate the monitor, `close()` (or `break`) to stop.
 */
export class NftMonitor implements AsyncIterable<NftEvent> {
  readonly connection: Connection;
  private readonly stream: EventStream;
  private readonly ownsConnection: boolean;

  constructor(connection: Connection, options: MonitorOptions & { ownsConnection?: boolean } = {}) {
    this.connection = connection;
    this.ownsConnection = options.ownsConnection ?? false;
    connection.transport.addMembership(NfnlGroup.NFNLGRP_NFTABLES);
    if (options.trace) connection.transport.addMembership(NfnlGroup.NFNLGRP_NFTRACE);
    this.stream = connection.events();
  }

  /**
   * Open a dedicated NETLINK_NETFILTER socket for monitoring (pass `netnsFd` to watch another
   * namespace; `receiveBuffer` to absorb bursts such as a 10,000-rule transaction).
   */
  static open(options: MonitorOptions & Omit<ConnectOptions, 'protocol' | 'groups'> = {}): NftMonitor {
    const { trace, ...connectOptions } = options;
    const conn = connect({ ...connectOptions, protocol: NetlinkProtocol.NETLINK_NETFILTER });
    return new NftMonitor(conn, { ...(trace ? { trace } : {}), ownsConnection: true });
  }

  async *[Symbol.asyncIterator](): AsyncIterator<NftEvent> {
    for await (const e of this.stream) {
      if (e.kind === 'overrun') yield { kind: 'overrun' };
      else if (e.kind === 'message') yield decodeNftEvent(e.message);
      else throw e.error;
    }
  }

  /** Stop: end the iteration and, for a monitor made with `open`, close its socket. */
  close(): void {
    this.stream.end();
    if (this.ownsConnection) this.connection.close();
  }
}
