/** Usage texts of `ip help` and `ip OBJECT help`: what netns-ts implements of each. */

export const IP_USAGE = `usage: ip [OPTIONS] OBJECT { COMMAND | help }
OBJECT  := { address | link | route | neigh | netns | tuntap | monitor }
OPTIONS := { -n[etns] NAME | -j[son] | -p[retty] | -d[etails] | -s[tats] | -4 | -6 | -f[amily] inet|inet6 }
Abbreviations as in iproute2: ip a, ip l, ip r, ip n, ip a s, ip r g …`;

export const OBJECT_USAGE = {
  link: `usage: ip link add [link DEV] [name] NAME [txqueuelen N] [address LLADDR] [mtu MTU] [group N]
                   [up] [master DEV] [netns NS] [alias TEXT] type TYPE [ARGS]
       ip link set [dev] DEV { up | down | mtu MTU | address LLADDR | broadcast LLADDR | name NAME
                   | alias TEXT | txqueuelen N | group N | master DEV | nomaster | netns NS } …
       ip link delete [dev] DEV | group N
       ip link show [[dev] DEV] [up] [master DEV] [type KIND]
TYPE := veth [peer [name] NAME [OPTIONS]] | bridge [stp_state 0|1] [forward_delay N] [ageing_time N] …
      | macvlan mode {private|vepa|bridge|passthru|source} | vxlan id VNI [remote|group ADDR] [local ADDR]
        [dev DEV] [dstport PORT] [srcport LOW HIGH] [ttl N|auto] [tos N|inherit] [[no]learning]
        [ageing N] [[no]udpcsum] | ifb`,
  address: `usage: ip address {add|change|replace} IFADDR dev DEV [peer PREFIX] [broadcast ADDR|+|-]
                   [label LABEL] [scope SCOPE] [metric N] [valid_lft SECS|forever]
                   [preferred_lft SECS|forever] [nodad] [noprefixroute] [home] [mngtmpaddr]
       ip address delete IFADDR dev DEV [peer PREFIX] [label LABEL]
       ip address flush [dev DEV] [scope SCOPE]
       ip address show [[dev] DEV] [up]
SCOPE := global | site | link | host | NUMBER`,
  route: `usage: ip route {add|change|replace|delete} [TYPE] [to] PREFIX [via ADDR] [dev DEV] [table T]
                   [metric N] [proto P] [scope S] [src ADDR] [onlink] [mtu [lock] N] [advmss N]
                   [nexthop via ADDR [dev DEV] [weight N] …]
       ip route show [table T|all] [[to] PREFIX] [dev DEV] [proto P] [type TYPE]
       ip route get ADDR [from ADDR] [iif DEV] [oif DEV] [mark N] [fibmatch]
TYPE := unicast | local | broadcast | multicast | blackhole | unreachable | prohibit | throw`,
  neigh: `usage: ip neigh {add|change|replace} ADDR [lladdr LLADDR] [nud STATE] [router] dev DEV
       ip neigh {add|delete} proxy ADDR dev DEV
       ip neigh delete ADDR dev DEV
       ip neigh flush [dev DEV] [nud STATE]
       ip neigh show [dev DEV] [proxy] [nud STATE]
STATE := permanent | noarp | reachable | stale | delay | probe | failed | incomplete | none`,
  netns: `usage: ip netns list
       ip netns add NAME
       ip netns delete NAME
       ip netns set NAME ID|auto
       ip netns list-id
       ip netns identify [PID]
       ip netns exec NAME COMMAND…`,
  tuntap: `usage: ip tuntap add [dev] NAME mode { tun | tap } [user USER] [group GROUP] [pi] [vnet_hdr]
                   [multi_queue] [one_queue]
       ip tuntap del [dev] NAME mode { tun | tap }
       ip tuntap show [[dev] NAME] [mode { tun | tap }]
USER := NAME | NUMBER    GROUP := NAME | NUMBER`,
  monitor: `usage: ip monitor [all | OBJECTS]
OBJECTS := link | address | route | neigh | nsid (any of them; all = every one)`,
} as const;
