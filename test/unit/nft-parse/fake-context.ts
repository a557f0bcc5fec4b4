/**
 * A CliContext over the simulated nf_tables of test/unit/nft/fake-nftables.ts: output in
 * arrays, every netfilter request answered by the fake, route requests refused (no links).
 */
import type { CliContext } from '../../../src/cli/context.js';
import { Connection } from '../../../src/netlink/connection.js';
import { NetlinkProtocol } from '../../../src/netlink/constants.js';
import { FakeKernel } from '../../../src/netlink/testing/index.js';
import { NfnlMsg } from '../../../src/nft/constants.js';
import { FakeNftables } from '../nft/fake-nftables.js';

/** EOPNOTSUPP: this fake has no rtnetlink. */
const EOPNOTSUPP = 95;

export interface FakeContext extends CliContext {
  lines: string[];
  nft: FakeNftables;
  /** Batches (BATCH_BEGIN messages) sent so far. */
  batches(): number;
  close(): void;
}

export function fakeContext(): FakeContext {
  const nft = new FakeNftables();
  const netfilter = new Connection(nft.kernel);
  const route = new Connection(new FakeKernel((m, k) => k.error(m, EOPNOTSUPP)));
  const lines: string[] = [];
  return {
    lines,
    nft,
    out: (line) => lines.push(line),
    err: (line) => lines.push(line),
    json: false,
    pretty: false,
    details: false,
    stats: false,
    connect: (protocol) => (protocol === NetlinkProtocol.NETLINK_NETFILTER ? netfilter : route),
    batches: () => nft.kernel.received.filter((m) => m.type === NfnlMsg.NFNL_MSG_BATCH_BEGIN).length,
    close() {
      netfilter.close();
      route.close();
    },
  };
}
