/**
 * nf_tables for netns-ts: codecs for every nf_tables message, batches (all or nothing, each
 * reply mapped back to its command), a consistent ruleset reader, a monitor, optimistic
 * concurrency, and NftClient on top. Expressions live in ./expressions/.
 */
export * from './constants.js';
export { nfgenmsg, familyName, familyNumber, nftMessageType, subsystemOf, messageOf, writeNfgenmsg, nfnlMessageCodec, type NfFamily, type NfnlBody } from './nfgenmsg.js';
export { udataCodec, ruleUdata, commentUdata, setUdata, setElemUdata, commentOf, type UdataEntry, type UdataKind } from './udata.js';
export { tableAttributes, type TableAttributes, type TableFlag } from './table.js';
export { chainAttributes, hookAttributes, deviceListAttributes, chainCounterAttributes, CHAIN_TYPES, type ChainAttributes, type HookAttributes, type ChainType, type ChainPolicy } from './chain.js';
export { ruleAttributes, ruleCompatAttributes, type RuleAttributes } from './rule.js';
export { setAttributes, setDescAttributes, setConcatAttributes, setFieldAttributes, type SetAttributes, type SetFlag } from './set.js';
export { setElementAttributes, setElementListCodec, setElementMessageAttributes, type SetElementAttributes, type SetElementMessageAttributes, type SetElementFlag } from './set-element.js';
export { objectAttributes, opaqueObjectAttributes, objectDataAttributes, type NftObject, type ObjectData, type ModelledObjectType } from './object.js';
export { genAttributes, type GenAttributes } from './gen.js';
export { flowtableAttributes, flowtableHookAttributes, type FlowtableAttributes } from './flowtable.js';
export { traceAttributes, type TraceAttributes } from './trace.js';
export { batchAttributes, type BatchAttributes } from './batch-delimiters.js';
export { netfilterProtocol, netfilterMessageCodec, netfilterTypeName, nftMessageCodecs } from './protocol.js';
export { hookNumber, hookName, priorityNumber, NftPriority, NftBridgePriority, type HookName, type PriorityName } from './hooks.js';
export { resolveType, encodeValue, type SetKeyType, type SetDataType, type FieldValue } from './set-types.js';
export { describeCommand, type NftCommand, type CommandType, type CommandAttributes } from './command.js';
export { addTable, deleteTable, flushTable, type TableSpec, type TableRef, type AddOptions } from './table-commands.js';
export { addChain, deleteChain, flushChain, type ChainSpec, type ChainRef } from './chain-commands.js';
export { addRule, insertRule, replaceRule, deleteRule, type RuleSpec, type RuleRef, type RuleOptions } from './rule-commands.js';
export { addSet, deleteSet, addElements, deleteElements, flushSet, type SetSpec, type SetRef, type ElementSpec, type ElementsSpec, type VerdictSpec } from './set-commands.js';
export { addObject, deleteObject, type ObjectSpec, type ObjectRef } from './object-commands.js';
export { prepareRule, PreparedRule, PreparedRuleCommand, RuleSlot, type SlotKind, type SlotValue } from './prepared-rule.js';
export { batch, encodeBatch, type NftBatch, type EncodeOptions, type EncodedBatch } from './batch.js';
export { NftBatchError, NftGenerationChangedError, type CommandFailure } from './batch-errors.js';
export { applyBatch, echoedHandle, type ApplyOptions, type BatchResult, type CommandResult, type EchoedMessage } from './apply.js';
export { verifyBatch, ruleSignature, type Verification } from './verify.js';
export { listRuleset, listRules, listTables, listElements, readGeneration, RulesetChangedError, type Ruleset, type ListOptions, type ListRulesOptions, type RulesetTable, type RulesetChain, type RulesetRule, type RulesetSet, type RulesetObject, type RulesetFlowtable } from './reader.js';
export { NftMonitor, decodeNftEvent, type NftEvent, type NftObjectKind, type MonitorOptions } from './monitor.js';
export { applyOptimistic, deleteRuleChecked, OptimisticConflictError, StaleRuleError, type OptimisticOptions, type OptimisticResult } from './optimistic.js';
export { NftClient } from './client.js';
export * from './expressions/index.js';
