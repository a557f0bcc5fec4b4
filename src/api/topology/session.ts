/**
 * The clients for one namespace, opened on first use and closed together.
 */
import { Conntrack } from '../../conntrack/client.js';
import { NetlinkProtocol } from '../../netlink/constants.js';
import type { Connection } from '../../netlink/connection.js';
import { connectInNetns } from '../../netns/connect.js';
import { NftClient } from '../../nft/client.js';
import { Addresses } from '../../route/addresses.js';
import { Links } from '../../route/links.js';
import { Routes } from '../../route/routes.js';

export class NetnsSession {
  private route?: Connection;
  private netfilter?: Connection;
  private nftClient?: NftClient;

  /** `netns` undefined: this process's namespace. */
  constructor(readonly netns: string | undefined) {}

  get connection(): Connection {
    return (this.route ??= connectInNetns(this.netns));
  }

  get links(): Links {
    return new Links(this.connection);
  }

  get addresses(): Addresses {
    return new Addresses(this.connection);
  }

  get routes(): Routes {
    return new Routes(this.connection);
  }

  get nft(): NftClient {
    return (this.nftClient ??= new NftClient((this.netfilter ??= connectInNetns(this.netns, { protocol: NetlinkProtocol.NETLINK_NETFILTER }))));
  }

  get conntrack(): Conntrack {
    return new Conntrack((this.netfilter ??= connectInNetns(this.netns, { protocol: NetlinkProtocol.NETLINK_NETFILTER })));
  }

  close(): void {
    this.route?.close();
    this.nftClient?.close();
    this.netfilter?.close();
    this.route = undefined;
    this.netfilter = undefined;
    this.nftClient = undefined;
  }
}
