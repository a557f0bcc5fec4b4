/**
 * rtnetlink constants shared by every route-family codec: message types (<linux/rtnetlink.h>
 * enum rtm_type values of nlmsghdr.nlmsg_type), multicast groups (enum rtnetlink_groups) and
 * address families (<linux/socket.h>). Per-object attribute numbers live beside each codec.
 */
import { reverseMap } from '../constants.js';

export const RtmType = {
  RTM_NEWLINK: 16,
  RTM_DELLINK: 17,
  RTM_GETLINK: 18,
  RTM_SETLINK: 19,
  RTM_NEWADDR: 20,
  RTM_DELADDR: 21,
  RTM_GETADDR: 22,
  RTM_NEWROUTE: 24,
  RTM_DELROUTE: 25,
  RTM_GETROUTE: 26,
  RTM_NEWNEIGH: 28,
  RTM_DELNEIGH: 29,
  RTM_GETNEIGH: 30,
  RTM_NEWRULE: 32,
  RTM_DELRULE: 33,
  RTM_GETRULE: 34,
  RTM_NEWQDISC: 36,
  RTM_DELQDISC: 37,
  RTM_GETQDISC: 38,
  RTM_NEWNETCONF: 80,
  RTM_DELNETCONF: 81,
  RTM_GETNETCONF: 82,
  RTM_NEWNSID: 88,
  RTM_DELNSID: 89,
  RTM_GETNSID: 90,
  RTM_NEWLINKPROP: 108,
  RTM_DELLINKPROP: 109,
} as const;
export type RtmTypeName = keyof typeof RtmType;
export const rtmTypeName = reverseMap(RtmType);

/** enum rtnetlink_groups: group numbers for NETLINK_ADD_MEMBERSHIP. */
export const RtnlGroup = {
  RTNLGRP_LINK: 1,
  RTNLGRP_NEIGH: 3,
  RTNLGRP_IPV4_IFADDR: 5,
  RTNLGRP_IPV4_ROUTE: 7,
  RTNLGRP_IPV6_IFADDR: 9,
  RTNLGRP_IPV6_ROUTE: 11,
  RTNLGRP_IPV4_NETCONF: 24,
  RTNLGRP_IPV6_NETCONF: 25,
  RTNLGRP_NSID: 28,
} as const;

/** Address families used in rtnetlink headers. */
export const AddressFamily = {
  AF_UNSPEC: 0,
  AF_INET: 2,
  AF_BRIDGE: 7,
  AF_INET6: 10,
  AF_PACKET: 17,
  AF_MPLS: 28,
} as const;
export const addressFamilyName = reverseMap(AddressFamily);
