#!/usr/bin/env python3
"""pyroute2 contender for the netns-ts benchmarks (Debian's python3-pyroute2).

Usage: pyroute2_bench.py topology-setup N | topology-teardown N
                         | dump links|addresses|routes|neighbours NETNS
                         | nft-load N | nft-list

Prints one JSON line {"ms": ...}. The clock starts after the imports. Namespaces are used in
"setns mode": pyroute2.netns.create() makes the name, pushns()/popns() switch this process
into the namespace just long enough to open an IPRoute socket there (the socket stays bound
to it), instead of NetNS objects, which proxy every request through a helper process.
Names and numbers mirror bench/lib/plan.mjs.
"""
import json
import os
import socket
import struct
import sys
import time

from pyroute2 import IPRoute, netns
from pyroute2.netlink import NLM_F_ACK, NLM_F_APPEND, NLM_F_CREATE, NLM_F_REQUEST
from pyroute2.netlink.nfnetlink.nftsocket import (
    NFT_MSG_NEWCHAIN,
    NFT_MSG_NEWRULE,
    NFT_MSG_NEWTABLE,
    nft_chain_msg,
    nft_rule_msg,
    nft_table_msg,
)
from pyroute2.nftables.expressions import genex
from pyroute2.nftables.main import NFTables

BRIDGE, BRIDGE_ADDR, PREFIXLEN, GROUP, PEER = 'bbr0', '10.200.0.1', 16, 77, 'eth0'
TOPO_TABLE, NAT_TABLE = 'bench', 'benchnat'
DNAT_TO_PORT, DNAT_FIRST_PORT = 8080, 10000
PRE_PRIORITY, POST_PRIORITY = -100, 100
HOOK_PREROUTING, HOOK_POSTROUTING = 0, 4
NFT_REG_1, NFT_REG_2 = 1, 2
NFT_META_L4PROTO = 16
NFT_PAYLOAD_NETWORK_HEADER, NFT_PAYLOAD_TRANSPORT_HEADER = 1, 2
NFT_CMP_EQ = 0
NFT_NAT_DNAT = 1
NFPROTO_IPV4 = 2
NF_NAT_RANGE_PROTO_SPECIFIED = 2
NLMSG_ERROR = 2
# A 10,000-rule transaction is a few MB: the socket must accept it in one sendto().
BATCH_SNDBUF = 64 * 1024 * 1024
SO_SNDBUFFORCE = 32


def addr_int(a, b, i):
    n = (10 << 24) | (a << 16) | (b + i)
    return socket.inet_ntoa(n.to_bytes(4, 'big'))


def topo_addr(i):
    return addr_int(200, 2, i)


def nat_addr(i):
    return addr_int(201, 0, i)


def ns_name(i):
    return 'bench-ns-%d' % i


def veth_name(i):
    return 'bv%d' % i


def ipr_in(name):
    """An IPRoute socket inside namespace `name` (setns mode)."""
    netns.pushns(name)
    try:
        return IPRoute()
    finally:
        netns.popns()


# nf_tables expressions, as nft generates them (see bench/floor/nft.c).
def cmp_eq(data):
    return genex('cmp', {'sreg': NFT_REG_1, 'op': NFT_CMP_EQ, 'data': {'attrs': [('NFTA_DATA_VALUE', data)]}})


def payload(base, offset, length):
    return genex('payload', {'dreg': NFT_REG_1, 'base': base, 'offset': offset, 'len': length})


def immediate(reg, data):
    return genex('immediate', {'dreg': reg, 'data': {'attrs': [('NFTA_DATA_VALUE', data)]}})


def dnat_rule(port, to_addr):
    return [
        genex('meta', {'dreg': NFT_REG_1, 'key': NFT_META_L4PROTO}),
        cmp_eq(bytes([socket.IPPROTO_TCP])),
        payload(NFT_PAYLOAD_TRANSPORT_HEADER, 2, 2),
        cmp_eq(port.to_bytes(2, 'big')),
        immediate(NFT_REG_1, socket.inet_aton(to_addr)),
        immediate(NFT_REG_2, DNAT_TO_PORT.to_bytes(2, 'big')),
        genex('nat', {'type': NFT_NAT_DNAT, 'family': NFPROTO_IPV4, 'reg_addr_min': NFT_REG_1,
                      'reg_proto_min': NFT_REG_2, 'flags': NF_NAT_RANGE_PROTO_SPECIFIED}),
    ]


def masq_rule(saddr):
    return [payload(NFT_PAYLOAD_NETWORK_HEADER, 12, 4), cmp_eq(socket.inet_aton(saddr)), genex('masq', {})]


def msg(cls, attrs):
    m = cls()
    m['attrs'] = attrs
    return m


def nft_transaction(table, chains, rules):
    """One transaction: table, base chains and rules, via NFTables.begin/request_put/commit."""
    nft = NFTables()
    nft.setsockopt(socket.SOL_SOCKET, SO_SNDBUFFORCE, BATCH_SNDBUF)
    create = NLM_F_REQUEST | NLM_F_CREATE
    nft.begin()
    nft.request_put(msg(nft_table_msg, [('NFTA_TABLE_NAME', table)]), NFT_MSG_NEWTABLE, create)
    for name, hook, prio in chains:
        hook_attr = {'attrs': [['NFTA_HOOK_HOOKNUM', hook], ['NFTA_HOOK_PRIORITY', prio]]}
        attrs = [('NFTA_CHAIN_TABLE', table), ('NFTA_CHAIN_NAME', name), ('NFTA_CHAIN_HOOK', hook_attr), ('NFTA_CHAIN_TYPE', 'nat')]
        nft.request_put(msg(nft_chain_msg, attrs), NFT_MSG_NEWCHAIN, create)
    for i, (chain, exprs) in enumerate(rules):
        attrs = [('NFTA_RULE_TABLE', table), ('NFTA_RULE_CHAIN', chain), ('NFTA_RULE_EXPRESSIONS', exprs)]
        flags = create | NLM_F_APPEND | (NLM_F_ACK if i == len(rules) - 1 else 0)
        nft.request_put(msg(nft_rule_msg, attrs), NFT_MSG_NEWRULE, flags)
    nft.commit()
    check_acks(nft)
    nft.close()


def check_acks(sock):
    """commit() only sends. The kernel has processed the batch when sendto() returns, so its
    replies are queued: errors first, the ack of the last rule last. Read them raw (pyroute2's
    get() waits for a sequence number the transaction no longer tracks)."""
    while True:
        data = sock.recv(1 << 20)
        at = 0
        while at + 20 <= len(data):
            length, kind, _flags, _seq, _pid = struct.unpack_from('=IHHII', data, at)
            if kind == NLMSG_ERROR:
                (error,) = struct.unpack_from('=i', data, at + 16)
                if error != 0:
                    raise RuntimeError('nf_tables transaction failed: %s' % os.strerror(-error))
                return
            at += (length + 3) & ~3


def topology_setup(n):
    ipr = IPRoute()
    ipr.link('add', ifname=BRIDGE, kind='bridge', group=GROUP)
    bridge = ipr.link_lookup(ifname=BRIDGE)[0]
    ipr.addr('add', index=bridge, address=BRIDGE_ADDR, prefixlen=PREFIXLEN)
    ipr.link('set', index=bridge, state='up')
    gateway = BRIDGE_ADDR
    for i in range(n):
        name = ns_name(i)
        netns.create(name)
        ipr.link('add', ifname=veth_name(i), kind='veth', group=GROUP, master=bridge, state='up',
                 peer={'ifname': PEER, 'net_ns_fd': name})
        inner = ipr_in(name)
        inner.link('set', index=1, state='up')
        peer = inner.link_lookup(ifname=PEER)[0]
        inner.link('set', index=peer, state='up')
        inner.addr('add', index=peer, address=topo_addr(i), prefixlen=PREFIXLEN)
        inner.route('add', dst='0.0.0.0/0', gateway=gateway)
        inner.close()
    ipr.close()
    rules = []
    for i in range(n):
        rules.append(('post', masq_rule(topo_addr(i))))
        rules.append(('pre', dnat_rule(DNAT_FIRST_PORT + i, topo_addr(i))))
    nft_transaction(TOPO_TABLE, [('pre', HOOK_PREROUTING, PRE_PRIORITY), ('post', HOOK_POSTROUTING, POST_PRIORITY)], rules)
    return {}


def topology_teardown(n):
    nft = NFTables()
    nft.table('del', name=TOPO_TABLE)
    nft.close()
    ipr = IPRoute()
    # RTM_DELLINK for the whole group: one request deletes the bridge and every veth.
    ipr.link('del', index=0, group=GROUP)
    ipr.close()
    for i in range(n):
        netns.remove(ns_name(i))
    return {'mode': 'bulk'}


DUMPS = {
    'links': (lambda ipr: ipr.get_links(), 'IFLA_IFNAME'),
    'addresses': (lambda ipr: ipr.get_addr(), 'IFA_ADDRESS'),
    'routes': (lambda ipr: ipr.get_routes(family=socket.AF_INET), 'RTA_TABLE'),
    'neighbours': (lambda ipr: ipr.get_neighbours(), 'NDA_DST'),
}


def dump(kind, name):
    fetch, attr = DUMPS[kind]
    ipr = ipr_in(name)
    objects = list(fetch(ipr))
    # Touch one attribute of each object so lazily decoded fields are paid for.
    for o in objects:
        o.get_attr(attr)
    ipr.close()
    return {'count': len(objects)}


def nft_load(n):
    rules = [('pre', dnat_rule(DNAT_FIRST_PORT + i, nat_addr(i))) for i in range(n)]
    nft_transaction(NAT_TABLE, [('pre', HOOK_PREROUTING, PRE_PRIORITY)], rules)
    return {}


def nft_list():
    nft = NFTables()
    rules = [r for r in nft.get_rules() if r.get_attr('NFTA_RULE_TABLE') == NAT_TABLE]
    for r in rules:
        r.get_attr('NFTA_RULE_EXPRESSIONS')
    nft.close()
    return {'count': len(rules)}


def main(argv):
    cmd, args = argv[1], argv[2:]
    t0 = time.perf_counter()
    if cmd == 'topology-setup':
        out = topology_setup(int(args[0]))
    elif cmd == 'topology-teardown':
        out = topology_teardown(int(args[0]))
    elif cmd == 'dump':
        out = dump(args[0], args[1])
    elif cmd == 'nft-load':
        out = nft_load(int(args[0]))
    elif cmd == 'nft-list':
        out = nft_list()
    else:
        sys.exit('unknown command %s' % cmd)
    out['ms'] = (time.perf_counter() - t0) * 1000
    print(json.dumps(out))


if __name__ == '__main__':
    main(sys.argv)
