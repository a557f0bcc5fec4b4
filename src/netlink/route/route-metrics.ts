/**
 * RTA_METRICS: per-route TCP and path metrics, a nest of RTAX_* attributes
 * (<linux/rtnetlink.h>). The kernel writes the nest without NLA_F_NESTED
 * (nla_nest_start_noflag) and iproute2 sends it the same way, so the set is declared unflagged.
 */
import { defineAttributeSet, type AttributeValues } from '../attribute-set.js';
import { cstring, flagsOf, u32 } from '../fields.js';

/** RTAX_* attribute types. */
export const RtaxAttr = {
  RTAX_UNSPEC: 0,
  RTAX_LOCK: 1,
  RTAX_MTU: 2,
  RTAX_WINDOW: 3,
  RTAX_RTT: 4,
  RTAX_RTTVAR: 5,
  RTAX_SSTHRESH: 6,
  RTAX_CWND: 7,
  RTAX_ADVMSS: 8,
  RTAX_REORDERING: 9,
  RTAX_HOPLIMIT: 10,
  RTAX_INITCWND: 11,
  RTAX_FEATURES: 12,
  RTAX_RTO_MIN: 13,
  RTAX_INITRWND: 14,
  RTAX_QUICKACK: 15,
  RTAX_CC_ALGO: 16,
  RTAX_FASTOPEN_NO_COOKIE: 17,
} as const;

/** RTAX_FEATURES bits. */
export const RtaxFeature = {
  RTAX_FEATURE_ECN: 1 << 0,
  RTAX_FEATURE_SACK: 1 << 1,
  RTAX_FEATURE_TIMESTAMP: 1 << 2,
  RTAX_FEATURE_ALLFRAG: 1 << 3,
} as const;

export const metricFeatureNames = {
  ecn: RtaxFeature.RTAX_FEATURE_ECN,
  sack: RtaxFeature.RTAX_FEATURE_SACK,
  timestamp: RtaxFeature.RTAX_FEATURE_TIMESTAMP,
  allfrag: RtaxFeature.RTAX_FEATURE_ALLFRAG,
} as const;

export const routeMetricsAttributes = defineAttributeSet(
  'metrics',
  {
    /** Bit mask of locked metrics: bit N set = metric of type N is locked (`ip route … mtu lock 1400`). */
    lock: { type: RtaxAttr.RTAX_LOCK, codec: u32 },
    mtu: { type: RtaxAttr.RTAX_MTU, codec: u32 },
    window: { type: RtaxAttr.RTAX_WINDOW, codec: u32 },
    rtt: { type: RtaxAttr.RTAX_RTT, codec: u32 },
    rttvar: { type: RtaxAttr.RTAX_RTTVAR, codec: u32 },
    ssthresh: { type: RtaxAttr.RTAX_SSTHRESH, codec: u32 },
    cwnd: { type: RtaxAttr.RTAX_CWND, codec: u32 },
    advmss: { type: RtaxAttr.RTAX_ADVMSS, codec: u32 },
    reordering: { type: RtaxAttr.RTAX_REORDERING, codec: u32 },
    hoplimit: { type: RtaxAttr.RTAX_HOPLIMIT, codec: u32 },
    initcwnd: { type: RtaxAttr.RTAX_INITCWND, codec: u32 },
    features: { type: RtaxAttr.RTAX_FEATURES, codec: flagsOf(u32, metricFeatureNames) },
    rtoMin: { type: RtaxAttr.RTAX_RTO_MIN, codec: u32 },
    initrwnd: { type: RtaxAttr.RTAX_INITRWND, codec: u32 },
    quickack: { type: RtaxAttr.RTAX_QUICKACK, codec: u32 },
    ccAlgo: { type: RtaxAttr.RTAX_CC_ALGO, codec: cstring },
    fastopenNoCookie: { type: RtaxAttr.RTAX_FASTOPEN_NO_COOKIE, codec: u32 },
  },
  { nested: false },
);
export type RouteMetricsAttributes = AttributeValues<typeof routeMetricsAttributes.specs>;
