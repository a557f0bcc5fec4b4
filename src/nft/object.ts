/**
 * nf_tables stateful objects (NFT_MSG_NEWOBJ / GETOBJ / GETOBJ_RESET / DELOBJ / DESTROYOBJ):
 * named counters, quotas, limits … that rules reference with `objref`. The layout of
 * NFTA_OBJ_DATA depends on the sibling NFTA_OBJ_TYPE, so the codec reads the type first and
 * decodes the data with that type's attribute set. Types not modelled here (tunnel, ct timeout,
 * and whatever a newer kernel adds) keep their data as raw attributes, byte-exact.
 */
import { defineAttributeSet, type AttributeSet, type AttributeSpecs, type AttributeValues } from '../netlink/attribute-set.js';
import type { FieldCodec } from '../netlink/field.js';
import { binary, cstring, enumOf, flagsOf, u16be, u32be, u64be, u8 } from '../netlink/fields.js';
import type { RawAttribute } from '../netlink/raw-attributes.js';
import {
  NftaConnlimit, NftaCounter, NftaCtExpect, NftaCtHelper, NftaLimit, NftaObj, NftaQuota, NftaSecmark, NftaSynproxy,
  NftConnlimitFlags, NftLimitFlags, NftLimitType, NftObjectType, NftQuotaFlags, type NftObjectTypeName,
} from './constants.js';
import { peekAttribute, rawNest } from './raw-nest.js';
import { commentUdata } from './udata.js';

/** Data of the modelled object types, one attribute set each. */
export const objectDataAttributes = {
  counter: defineAttributeSet('counter', {
    bytes: { type: NftaCounter.NFTA_COUNTER_BYTES, codec: u64be }, // NFTA_COUNTER_BYTES
    packets: { type: NftaCounter.NFTA_COUNTER_PACKETS, codec: u64be }, // NFTA_COUNTER_PACKETS
    pad: { type: NftaCounter.NFTA_COUNTER_PAD, codec: binary }, // NFTA_COUNTER_PAD
  }),
  quota: defineAttributeSet('quota', {
    bytes: { type: NftaQuota.NFTA_QUOTA_BYTES, codec: u64be }, // NFTA_QUOTA_BYTES
    flags: { type: NftaQuota.NFTA_QUOTA_FLAGS, codec: flagsOf(u32be, NftQuotaFlags) }, // NFTA_QUOTA_FLAGS
    pad: { type: NftaQuota.NFTA_QUOTA_PAD, codec: binary }, // NFTA_QUOTA_PAD
    consumed: { type: NftaQuota.NFTA_QUOTA_CONSUMED, codec: u64be }, // NFTA_QUOTA_CONSUMED
  }),
  limit: defineAttributeSet('limit', {
    rate: { type: NftaLimit.NFTA_LIMIT_RATE, codec: u64be }, // NFTA_LIMIT_RATE
    unit: { type: NftaLimit.NFTA_LIMIT_UNIT, codec: u64be }, // NFTA_LIMIT_UNIT (seconds)
    burst: { type: NftaLimit.NFTA_LIMIT_BURST, codec: u32be }, // NFTA_LIMIT_BURST
    type: { type: NftaLimit.NFTA_LIMIT_TYPE, codec: enumOf(u32be, NftLimitType) }, // NFTA_LIMIT_TYPE
    flags: { type: NftaLimit.NFTA_LIMIT_FLAGS, codec: flagsOf(u32be, NftLimitFlags) }, // NFTA_LIMIT_FLAGS
    pad: { type: NftaLimit.NFTA_LIMIT_PAD, codec: binary }, // NFTA_LIMIT_PAD
  }),
  connlimit: defineAttributeSet('connlimit', {
    count: { type: NftaConnlimit.NFTA_CONNLIMIT_COUNT, codec: u32be }, // NFTA_CONNLIMIT_COUNT
    flags: { type: NftaConnlimit.NFTA_CONNLIMIT_FLAGS, codec: flagsOf(u32be, NftConnlimitFlags) }, // NFTA_CONNLIMIT_FLAGS
  }),
  'ct helper': defineAttributeSet('ct helper', {
    name: { type: NftaCtHelper.NFTA_CT_HELPER_NAME, codec: cstring }, // NFTA_CT_HELPER_NAME
    l3proto: { type: NftaCtHelper.NFTA_CT_HELPER_L3PROTO, codec: u16be }, // NFTA_CT_HELPER_L3PROTO
    l4proto: { type: NftaCtHelper.NFTA_CT_HELPER_L4PROTO, codec: u8 }, // NFTA_CT_HELPER_L4PROTO
  }),
  secmark: defineAttributeSet('secmark', {
    ctx: { type: NftaSecmark.NFTA_SECMARK_CTX, codec: cstring }, // NFTA_SECMARK_CTX
  }),
  'ct expectation': defineAttributeSet('ct expectation', {
    l3proto: { type: NftaCtExpect.NFTA_CT_EXPECT_L3PROTO, codec: u16be }, // NFTA_CT_EXPECT_L3PROTO
    l4proto: { type: NftaCtExpect.NFTA_CT_EXPECT_L4PROTO, codec: u8 }, // NFTA_CT_EXPECT_L4PROTO
    dport: { type: NftaCtExpect.NFTA_CT_EXPECT_DPORT, codec: u16be }, // NFTA_CT_EXPECT_DPORT
    timeout: { type: NftaCtExpect.NFTA_CT_EXPECT_TIMEOUT, codec: u32be }, // NFTA_CT_EXPECT_TIMEOUT (ms)
    size: { type: NftaCtExpect.NFTA_CT_EXPECT_SIZE, codec: u8 }, // NFTA_CT_EXPECT_SIZE
  }),
  synproxy: defineAttributeSet('synproxy', {
    mss: { type: NftaSynproxy.NFTA_SYNPROXY_MSS, codec: u16be }, // NFTA_SYNPROXY_MSS
    wscale: { type: NftaSynproxy.NFTA_SYNPROXY_WSCALE, codec: u8 }, // NFTA_SYNPROXY_WSCALE
    flags: { type: NftaSynproxy.NFTA_SYNPROXY_FLAGS, codec: u32be }, // NFTA_SYNPROXY_FLAGS
  }),
} as const;
type DataSets = typeof objectDataAttributes;
export type ModelledObjectType = keyof DataSets;

/** What NFTA_OBJ_DATA holds for each modelled type. */
export type ObjectData<T extends ModelledObjectType = ModelledObjectType> = AttributeValues<DataSets[T]['specs']>;

const typeCodec = enumOf(u32be, NftObjectType);
const U32_BYTES = 4;

function objectSpecs<D extends FieldCodec<any>>(data: D) {
  return {
    table: { type: NftaObj.NFTA_OBJ_TABLE, codec: cstring }, // NFTA_OBJ_TABLE
    name: { type: NftaObj.NFTA_OBJ_NAME, codec: cstring }, // NFTA_OBJ_NAME
    type: { type: NftaObj.NFTA_OBJ_TYPE, codec: typeCodec }, // NFTA_OBJ_TYPE
    data: { type: NftaObj.NFTA_OBJ_DATA, codec: data }, // NFTA_OBJ_DATA (layout chosen by NFTA_OBJ_TYPE)
    use: { type: NftaObj.NFTA_OBJ_USE, codec: u32be }, // NFTA_OBJ_USE
    handle: { type: NftaObj.NFTA_OBJ_HANDLE, codec: u64be }, // NFTA_OBJ_HANDLE
    pad: { type: NftaObj.NFTA_OBJ_PAD, codec: binary }, // NFTA_OBJ_PAD
    userdata: { type: NftaObj.NFTA_OBJ_USERDATA, codec: commentUdata }, // NFTA_OBJ_USERDATA
  } as const;
}

/** enum nft_object_attributes with the data kept raw (unknown or unmodelled types). */
export const opaqueObjectAttributes = defineAttributeSet('object', objectSpecs(rawNest));
type BaseObject = Omit<AttributeValues<typeof opaqueObjectAttributes.specs>, 'type' | 'data'>;

/** A decoded object: the data's form follows `type`; unmodelled types keep raw attributes. */
export type NftObject =
  | { [T in ModelledObjectType]: BaseObject & { type: T; data?: ObjectData<T> } }[ModelledObjectType]
  | (BaseObject & { type?: Exclude<NftObjectTypeName, ModelledObjectType> | number; data?: RawAttribute[] });

const typedSets = new Map<string, AttributeSet<AttributeSpecs>>();
for (const [type, data] of Object.entries(objectDataAttributes)) {
  typedSets.set(type, defineAttributeSet('object', objectSpecs(data)) as unknown as AttributeSet<AttributeSpecs>);
}

function setFor(type: unknown): AttributeSet<AttributeSpecs> {
  return (typeof type === 'string' ? typedSets.get(type) : undefined) ?? (opaqueObjectAttributes as unknown as AttributeSet<AttributeSpecs>);
}

/** The attributes of an object message, with NFTA_OBJ_DATA decoded according to NFTA_OBJ_TYPE. */
export const objectAttributes: FieldCodec<NftObject> = {
  kind: 'nested(object)',
  nested: true,
  encode(w, value, path) {
    setFor(value?.type).encode(w, value as never, path);
  },
  decode(bytes, at, path) {
    const rawType = peekAttribute(bytes, NftaObj.NFTA_OBJ_TYPE);
    const type = rawType?.length === U32_BYTES ? typeCodec.decode(rawType, at, 'type') : undefined;
    return setFor(type).decode(bytes, at, path) as NftObject;
  },
  validate(value) {
    return value !== null && typeof value === 'object' ? undefined : 'must be an object of attributes';
  },
};
