/**
 * Interface names by index, for printing `dev veth0` and `master br0` where the kernel sends
 * numbers. Built from one link dump per command (as `ip` does); an index it does not know
 * prints as `ifN`, like `ip`.
 */
import type { Connection } from '../../netlink/connection.js';
import type { Link } from '../../netlink/route/link.js';
import { Links } from '../../route/links.js';

export class LinkNames {
  private readonly byIndex = new Map<number, Link>();

  constructor(links: Iterable<Link>) {
    for (const l of links) this.byIndex.set(l.index, l);
  }

  static async load(connection: Connection): Promise<LinkNames> {
    return new LinkNames(await new Links(connection).list());
  }

  link(index: number): Link | undefined {
    return this.byIndex.get(index);
  }

  /** The name of `index`, or `ifN` when there is no such link here. */
  name(index: number): string {
    return this.byIndex.get(index)?.name ?? `if${index}`;
  }

  /** Keep the table current as link events arrive (`ip monitor`). */
  set(link: Link): void {
    this.byIndex.set(link.index, link);
  }

  delete(index: number): void {
    this.byIndex.delete(index);
  }

  links(): Link[] {
    return [...this.byIndex.values()];
  }
}
