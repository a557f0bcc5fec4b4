/** `netns-ts --help`. */
export const HELP = `netns-ts — netlink for Node.js: namespaces, links, addresses, routes, NAT

usage:
  netns-ts [--trace[=hex]] ip [-n NS] [-j] [-p] [-d] [-s] [-4|-6] OBJECT COMMAND …
           OBJECT: link | address | route | neigh | netns | tuntap | monitor   (ip help, ip link help …)
  netns-ts nft …                 the nft language (nf_tables)
  netns-ts iptables -t nat …     the iptables NAT forms of the tutorial
  netns-ts -b FILE | -batch FILE [-force]   one command per line ("-" = stdin), one process
  netns-ts decode [--family route|netfilter] [--json] HEX… | -   decode raw netlink bytes
  netns-ts demo [--keep|--clean] build the tutorial's topology in throwaway namespaces
  netns-ts                       REPL on a terminal (.help inside); batch from a pipe
  netns-ts --version | --help

--trace prints every netlink message sent and received, decoded; --trace=hex adds hex rows.
Errors: exit status 1 (2 for a command line that cannot be run), one line on stderr.`;
