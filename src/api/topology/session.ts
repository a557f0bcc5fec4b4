/**
 * The clients for one namespace, opened on first use and closed together.
 */
import { Conntrack } from '../../conntrack/client.js';
import { NetlinkProtocol } from '../../netlink/constants.js';
import type { Connection } from '../../netlink/connection.js';
import { connectInNetns, connectInNetnsAsync } from '../../netns/connect.js';
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

  /**
   * Create this session's namespace (as createNetns) together with its rtnetlink connection,
   * which the creating thread opens: the steps inside the new namespace then need no
   * connection of their own. Made on a libuv pool thread (connectInNetnsAsync), so the
   * namespaces of one phase are made side by side rather than one after another.
   */
  async createNamespace(): Promise<void> {
    if (this.netns === undefined) throw new Error('the session of this process\'s namespace cannot create it');
    this.route?.close();
    this.route = undefined;
    this.route = await connectInNetnsAsync(this.netns, { create: true });
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
