/**
 * Just enough rtnetlink, built by hand, to exercise the native socket from the tests without
 * depending on the protocol core: an RTM_GETLINK dump request and a walk over the replies.
 */
import { native, type ReceivedDatagram } from '../../src/native/binding.js';

export const NETLINK_ROUTE = 0;
export const SOL_SOCKET = 1;
export const SO_RCVBUF = 8;
export const SO_RCVBUFFORCE = 33;
export const SOL_NETLINK = 270;
export const NETLINK_ADD_MEMBERSHIP = 1;
export const NETLINK_LISTEN_ALL_NSID = 8;
export const RTNLGRP_LINK = 1;
const NLMSG_ERROR = 2;
const NLMSG_DONE = 3;
export const RTM_NEWLINK = 16;
const RTM_GETLINK = 18;
const NLM_F_REQUEST = 0x1;
const NLM_F_DUMP = 0x300;
const NLMSG_HDRLEN = 16;
const IFINFOMSG_LEN = 16;

/** RTM_GETLINK dump request: nlmsghdr (16 bytes) + ifinfomsg (16 bytes, all zero: any family). */
export function getLinkDump(seq: number): { header: Buffer; body: Buffer } {
  const header = Buffer.alloc(NLMSG_HDRLEN);
  header.writeUInt32LE(NLMSG_HDRLEN + IFINFOMSG_LEN, 0); // nlmsg_len
  header.writeUInt16LE(RTM_GETLINK, 4); // nlmsg_type
  header.writeUInt16LE(NLM_F_REQUEST | NLM_F_DUMP, 6); // nlmsg_flags
  header.writeUInt32LE(seq, 8); // nlmsg_seq
  header.writeUInt32LE(0, 12); // nlmsg_pid
  return { header, body: Buffer.alloc(IFINFOMSG_LEN) };
}

export interface NlMessage {
  type: number;
  flags: number;
  seq: number;
  /** Whole message including its header. */
  bytes: Buffer;
}

/** Splits a datagram into messages; throws unless the nlmsg_len values tile it exactly. */
export function splitMessages(data: Buffer): NlMessage[] {
  const out: NlMessage[] = [];
  let offset = 0;
  while (offset < data.length) {
    if (data.length - offset < NLMSG_HDRLEN) throw new Error(`trailing ${data.length - offset} bytes`);
    const len = data.readUInt32LE(offset);
    if (len < NLMSG_HDRLEN || offset + len > data.length) throw new Error(`bad nlmsg_len ${len} at ${offset}`);
    out.push({
      type: data.readUInt16LE(offset + 4),
      flags: data.readUInt16LE(offset + 6),
      seq: data.readUInt32LE(offset + 8),
      bytes: data.subarray(offset, offset + len),
    });
    offset += (len + 3) & ~3;
  }
  if (offset !== data.length) throw new Error(`messages end at ${offset}, datagram is ${data.length}`);
  return out;
}

/** ifi_index of an RTM_NEWLINK message. */
export function ifindexOf(message: NlMessage): number {
  return message.bytes.readInt32LE(NLMSG_HDRLEN + 4);
}

/**
 * Polls `fd` and collects datagrams until a message of the dump `seq` says NLMSG_DONE.
 * Rejects on NLMSG_ERROR, a receive error or a timeout. Polling is stopped in every case.
 */
export function readDump(fd: number, seq: number, timeoutMs = 5000): Promise<ReceivedDatagram[]> {
  return new Promise((resolve, reject) => {
    const datagrams: ReceivedDatagram[] = [];
    const finish = (err?: unknown): void => {
      clearTimeout(timer);
      native.pollStop(fd);
      if (err) reject(err);
      else resolve(datagrams);
    };
    const timer = setTimeout(() => finish(new Error(`dump ${seq}: no NLMSG_DONE within ${timeoutMs} ms`)), timeoutMs);
    native.pollStart(fd, () => {
      try {
        for (let got = native.socketRecv(fd); got !== null; got = native.socketRecv(fd)) {
          datagrams.push(got);
          for (const m of splitMessages(got.data)) {
            if (m.seq !== seq) continue;
            if (m.type === NLMSG_ERROR) return finish(new Error(`dump ${seq}: errno ${-m.bytes.readInt32LE(NLMSG_HDRLEN)}`));
            if (m.type === NLMSG_DONE) return finish();
          }
        }
      } catch (err) {
        finish(err);
      }
    });
    native.pollRef(fd, true);
  });
}

/** ifindexes of every RTM_NEWLINK in a dump. */
export function linkIndexes(datagrams: readonly ReceivedDatagram[]): number[] {
  return datagrams
    .flatMap((d) => splitMessages(d.data))
    .filter((m) => m.type === RTM_NEWLINK)
    .map(ifindexOf)
    .sort((a, b) => a - b);
}
