/**
 * Prepared rules: one rule shape encoded once, added many times with different values — as a
 * prepared statement is to SQL. Loading 10,000 port forwards as typed objects costs more in
 * JavaScript than the kernel's own work (building the objects alone is a fifth of it); a
 * prepared rule copies its encoded bytes and writes the values into them.
 *
 * The rule is built by a function of *slots*: placeholders (RuleSlot, a Uint8Array of the
 * value's size) used where the rule carries a value as raw bytes — the data of a cmp or an
 * immediate, as the natMatches helpers put ports and addresses. To find where each slot lands,
 * the rule is encoded with every slot zero, then with each slot holding two distinct patterns
 * in turn: the slot must appear whole and unchanged (once or more), nothing else may move, and
 * building the rule again with the pattern already in the slot must give the same bytes — so a
 * slot that a helper copied, masked or compared while building is refused when the rule is
 * prepared, not written wrong later. `build` is therefore called 1 + 2 × slots times and must
 * depend on nothing but its slots.
 */
import { NlmFlags, NLMSG_HDRLEN } from '../netlink/constants.js';
import { parseIp } from '../netlink/addresses.js';
import { ValidationError } from '../netlink/errors.js';
import { bodyWriter } from '../netlink/message.js';
import type { AttributeSpan, Writer } from '../netlink/writer.js';
import { describeCommand } from './command.js';
import { NftMsg, type TableFamily } from './constants.js';
import type { Expression } from './expression-codecs.js';
import { nftMessageCodecs } from './protocol.js';
import type { RuleAttributes } from './rule.js';
import { ruleCommandAttributes, type RuleOptions, type RuleSpec } from './rule-commands.js';

/**
 * What a slot holds: `port` (0–65535, big-endian, as ports are compared and loaded), `u8`,
 * `u32be`, `ipv4` / `ipv6` (an address as text or bytes), or `{ bytes: n }` (n raw bytes).
 */
export type SlotKind = 'port' | 'u8' | 'u32be' | 'ipv4' | 'ipv6' | { bytes: number };

/** The value a slot of kind K takes when a rule is added. */
export type SlotValue<K extends SlotKind> = K extends 'port' | 'u8' | 'u32be' ? number : K extends 'ipv4' | 'ipv6' ? string | Uint8Array : Uint8Array;

/**
 * A slot: a placeholder of the value's size, used in the rule where the value goes. Copies of
 * it (slice, map) are plain Uint8Arrays, so a helper that copies a slot is caught.
 */
export class RuleSlot extends Uint8Array {
  static get [Symbol.species](): Uint8ArrayConstructor {
    return Uint8Array;
  }
  constructor(
    readonly slotName: string,
    readonly kind: SlotKind,
    size: number,
  ) {
    super(size);
  }
}

/** NFT_DATA_VALUE_MAXLEN: no data value is longer. */
const DATA_VALUE_MAX = 64;
const U32_MAX = 0xffffffff;

function slotSize(kind: SlotKind, field: string): number {
  switch (kind) {
    case 'port':
      return 2;
    case 'u8':
      return 1;
    case 'u32be':
    case 'ipv4':
      return 4;
    case 'ipv6':
      return 16;
  }
  const n = typeof kind === 'object' && kind !== null ? kind.bytes : undefined;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > DATA_VALUE_MAX) {
    throw new ValidationError(field, `must be 'port', 'u8', 'u32be', 'ipv4', 'ipv6' or { bytes: n } with n from 1 to ${DATA_VALUE_MAX}`, kind);
  }
  return n;
}

/** A value checked for its slot: numbers stay numbers (written at encoding), addresses become bytes. */
type CheckedValue = number | Uint8Array;

function checkValue(kind: SlotKind, size: number, value: unknown, field: string): CheckedValue {
  switch (kind) {
    case 'port':
    case 'u8':
    case 'u32be': {
      const max = kind === 'port' ? 0xffff : kind === 'u8' ? 0xff : U32_MAX;
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > max) throw new ValidationError(field, `must be an integer from 0 to ${max}`, value);
      return value;
    }
    case 'ipv4':
    case 'ipv6': {
      if (typeof value === 'string') return parseIp(value, field, kind === 'ipv4' ? 4 : 6).bytes;
      if (value instanceof Uint8Array && value.length === size) return value.slice();
      throw new ValidationError(field, `must be an ${kind === 'ipv4' ? 'IPv4' : 'IPv6'} address (text, or ${size} bytes)`, value);
    }
  }
  if (value instanceof Uint8Array && value.length === size) return value.slice();
  throw new ValidationError(field, `must be a Uint8Array of ${size} bytes`, value);
}

/** Write a checked value into `buf` at `at` (big-endian numbers, bytes as they are). */
function writeValue(buf: Uint8Array, at: number, size: number, value: CheckedValue): void {
  if (typeof value === 'number') {
    for (let i = size - 1; i >= 0; i--) {
      buf[at + i] = value & 0xff;
      value = Math.floor(value / 256);
    }
  } else {
    for (let i = 0; i < size; i++) buf[at + i] = value[i]!;
  }
}

interface SlotPlace {
  name: string;
  kind: SlotKind;
  size: number;
  /** Offsets of the slot's bytes in the message body (after the nlmsghdr). */
  offsets: number[];
}

/** The rule's message body with every slot zero, and where the slots are. */
interface Template {
  family: TableFamily;
  flags: number;
  description: string;
  body: Uint8Array;
  spans: AttributeSpan[];
  places: SlotPlace[];
}

const ruleCodec = nftMessageCodecs.get(NftMsg.NFT_MSG_NEWRULE)!;

/**
 * One rule added from a prepared rule: a batch command (see {@link NftCommand}) whose body is
 * the template's bytes with its values written in. `attributes` decodes that body when read
 * (descriptions, verification after lost replies); encoding never builds them.
 */
export class PreparedRuleCommand {
  readonly type = 'NFT_MSG_NEWRULE' as const;
  readonly family: TableFamily;
  readonly flags: number;
  readonly description: string;
  readonly #template: Template;
  readonly #values: readonly CheckedValue[];
  #decoded: RuleAttributes | undefined;

  /** @internal built by PreparedRule.add */
  constructor(template: Template, values: readonly CheckedValue[], flags: number) {
    this.family = template.family;
    this.flags = flags;
    this.description = template.description;
    this.#template = template;
    this.#values = values;
  }

  /** Write the message body: the template, then each value at each of its slot's places. */
  writeBody(w: Writer): void {
    const body = this.#template.body;
    const at = w.length;
    const buf = w.room(body.length);
    buf.set(body, at);
    const places = this.#template.places;
    for (let i = 0; i < places.length; i++) {
      const place = places[i]!;
      const value = this.#values[i]!;
      for (const offset of place.offsets) writeValue(buf, at + offset, place.size, value);
    }
    w.length = at + body.length;
  }

  /** Where each attribute is, relative to the nlmsghdr (the template's: values never move them). */
  get spans(): AttributeSpan[] {
    return this.#template.spans;
  }

  get attributes(): RuleAttributes {
    if (!this.#decoded) {
      const w = bodyWriter(this.#template.body.length);
      this.writeBody(w);
      this.#decoded = (ruleCodec.decode(w.finish(), 0, NLMSG_HDRLEN) as { attributes: RuleAttributes }).attributes;
    }
    return this.#decoded;
  }
}

/** A rule shape prepared once; `add` makes the batch command for one set of values. */
export class PreparedRule<S extends Record<string, SlotKind>> {
  readonly #template: Template;

  /** @internal built by prepareRule */
  constructor(template: Template) {
    this.#template = template;
  }

  /**
   * `add rule …` with these values: appended to the chain. Every value is checked here
   * (ValidationError naming `values.<slot>`), so a batch of these fails before anything is sent.
   */
  add(values: { [K in keyof S]: SlotValue<S[K]> }, options: RuleOptions = {}): PreparedRuleCommand {
    if (typeof values !== 'object' || values === null) throw new ValidationError('values', 'must be an object with a value for each slot', values);
    const places = this.#template.places;
    const given = values as Record<string, unknown>;
    const checked: CheckedValue[] = new Array(places.length);
    for (let i = 0; i < places.length; i++) {
      const p = places[i]!;
      const v = given[p.name];
      if (v === undefined) throw new ValidationError(`values.${p.name}`, 'is missing (every slot needs a value)', undefined);
      checked[i] = checkValue(p.kind, p.size, v, `values.${p.name}`);
    }
    // Every slot has a value, so more keys means one that is not a slot: a typo more often than
    // not, refused rather than ignored.
    if (Object.keys(given).length !== places.length) {
      const extra = Object.keys(given).find((k) => !places.some((p) => p.name === k));
      throw new ValidationError(`values.${extra}`, `is not a slot of this rule (slots: ${places.map((p) => p.name).join(', ')})`, given[extra!]);
    }
    return new PreparedRuleCommand(this.#template, checked, this.#template.flags | (options.echo ? NlmFlags.NLM_F_ECHO : 0));
  }
}

function encodeBody(family: TableFamily, attributes: RuleAttributes): { body: Uint8Array; spans: AttributeSpan[] } {
  const w = bodyWriter(512);
  ruleCodec.encode(w, { family, version: 0, resId: 0, attributes }, 0);
  return { body: w.finish().slice(), spans: w.spans };
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Two different fillings per slot, no byte zero (so every byte of a place differs from the zero template). */
function pattern(size: number, seed: number): Uint8Array {
  const out = new Uint8Array(size);
  for (let i = 0; i < size; i++) out[i] = 0x80 | ((seed * 53 + i * 29 + 7) & 0x7f);
  return out;
}

/** Where `slot`, filled with `fill`, shows in `filled` against the all-zero `base`: whole and unchanged, or an error. */
function placesOf(slot: RuleSlot, fill: Uint8Array, base: Uint8Array, filled: Uint8Array, field: string): number[] {
  if (filled.length !== base.length) throw new ValidationError(field, 'changes the rule\'s layout with its value: only values carried as raw bytes (cmp or immediate data) can be slots', slot.slotName);
  const offsets: number[] = [];
  for (let p = 0; p < base.length; p++) {
    if (filled[p] === base[p]) continue;
    for (let i = 0; i < fill.length; i++) {
      if (filled[p + i] !== fill[i] || base[p + i] !== 0) throw new ValidationError(field, 'reaches the rule transformed (masked, reordered or cut): only values carried as raw bytes can be slots', slot.slotName);
    }
    offsets.push(p);
    p += fill.length - 1;
  }
  if (offsets.length === 0) throw new ValidationError(field, 'is not in the rule: the build function did not use it, or a helper copied it (use the slot itself where the value goes)', slot.slotName);
  return offsets;
}

/**
 * Prepare a rule of the shape `build` returns, for table `spec.table`, chain `spec.chain`.
 * `slots` names the values that vary and their kinds; `build` receives one RuleSlot per name
 * and returns the expressions, using each slot where its value goes (natMatches.matchPort and
 * dnatTo take port slots where they take ports, and address slots are bytes already).
 *
 *   const forward = prepareRule({ family: 'ip', table: 'nat', chain: 'prerouting' },
 *     { port: 'port', to: 'ipv4' },
 *     (s) => [...matchProtocol('tcp'), ...matchPort('dport', [s.port, s.port]), ...dnatTo(4, s.to, [80, 80])]);
 *   await nft.apply([forward.add({ port: 8080, to: '10.0.0.2' }), forward.add({ port: 8081, to: '10.0.0.3' })]);
 *
 * @throws ValidationError when the rule does not encode, a slot kind is unknown, or a slot is
 *   unused, copied or transformed on its way into the rule (see the module comment).
 */
export function prepareRule<S extends Record<string, SlotKind>>(
  spec: Omit<RuleSpec, 'expressions'>,
  slots: S,
  build: (slots: { [K in keyof S]: RuleSlot }) => Expression[],
): PreparedRule<S> {
  if (typeof slots !== 'object' || slots === null) throw new ValidationError('slots', 'must be an object naming each slot\'s kind', slots);
  if (typeof build !== 'function') throw new ValidationError('build', 'must be a function of the slots returning the rule\'s expressions', build);
  const made: Record<string, RuleSlot> = {};
  for (const [name, kind] of Object.entries(slots)) made[name] = new RuleSlot(name, kind, slotSize(kind, `slots.${name}`));
  const list = Object.values(made);
  if (list.length === 0) throw new ValidationError('slots', 'must name at least one slot (a rule without values is addRule\'s)', slots);
  const buildRule = (): RuleAttributes => ruleCommandAttributes({ ...spec, expressions: build(made as { [K in keyof S]: RuleSlot }) });
  const attributes = buildRule();
  const { body, spans } = encodeBody(spec.family, attributes);
  const places: SlotPlace[] = list.map((slot, index) => {
    const field = `slots.${slot.slotName}`;
    let offsets: number[] | undefined;
    for (const seed of [index * 2 + 1, index * 2 + 2]) {
      const fill = pattern(slot.length, seed);
      slot.set(fill);
      // Where the value lands when written into the rule built with zeros…
      const filled = encodeBody(spec.family, attributes).body;
      const found = placesOf(slot, fill, body, filled, field);
      if (offsets && (found.length !== offsets.length || found.some((o, i) => o !== offsets![i]))) {
        throw new ValidationError(field, 'lands in different places for different values: only values carried as raw bytes can be slots', slot.slotName);
      }
      offsets = found;
      // …must be the rule built with the value from the start: a copy of the slot taken while
      // building, or anything computed from its bytes, shows here.
      if (!sameBytes(filled, encodeBody(spec.family, buildRule()).body)) {
        throw new ValidationError(field, 'is copied or read while the rule is built (a helper sliced, mapped or compared its bytes): use the slot itself where the value goes', slot.slotName);
      }
    }
    slot.fill(0);
    return { name: slot.slotName, kind: slot.kind, size: slot.length, offsets: offsets! };
  });
  const flags = NlmFlags.NLM_F_CREATE | NlmFlags.NLM_F_APPEND;
  const description = describeCommand({ type: 'NFT_MSG_NEWRULE', family: spec.family, flags, attributes });
  return new PreparedRule<S>({ family: spec.family, flags, description, body, spans, places });
}
