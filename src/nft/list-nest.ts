/**
 * A nest holding a list of like items (NFTA_LIST_ELEM …). The kernel ignores the attribute
 * type of the items and always sends NFTA_LIST_ELEM, but libnftnl numbers set elements 1, 2,
 * 3 … as it writes them; the types and flag bits seen on decode are remembered (out of sight,
 * like an attribute set's wire layout) so decode → encode gives back the same bytes.
 */
import { NLA_F_NESTED, NLA_F_NET_BYTEORDER } from '../netlink/constants.js';
import { ValidationError } from '../netlink/errors.js';
import type { FieldCodec } from '../netlink/field.js';
import { joinPath, PACKED_NESTED, PACKED_NET_BYTEORDER } from '../netlink/writer.js';
import { walkAttributes } from '../netlink/raw-attributes.js';
import { NFTA_LIST_ELEM } from './constants.js';

/** Item types and flags seen on decode, kept outside the arrays (invisible to equality and JSON). */
const itemTypes = new WeakMap<object, ItemType[]>();
interface ItemType {
  type: number;
  nested: boolean;
  netByteOrder: boolean;
}

/** Flag booleans packed as Writer.beginAttribute takes them. */
const packed = (nested: boolean | undefined, netByteOrder: boolean | undefined): number => (nested ? PACKED_NESTED : 0) | (netByteOrder ? PACKED_NET_BYTEORDER : 0);

/** A list of `item` values, one nested attribute each. */
export function listNest<T>(name: string, item: FieldCodec<T>): FieldCodec<T[]> {
  return {
    kind: `list(${name})`,
    nested: true,
    encode(w, items, path) {
      if (!Array.isArray(items)) throw new ValidationError(path || name, 'must be an array', items);
      const types = itemTypes.get(items);
      const remembered = types?.length === items.length ? types : undefined;
      // Items are at `path.name[i]`: the index is joined on only when a path is wanted.
      const head = `${path ? `${path}.` : ''}${name}`;
      const plain = packed(item.nested, item.netByteOrder);
      for (let i = 0; i < items.length; i++) {
        if (!(i in items)) continue; // a hole, as forEach would skip it
        const value = items[i]!;
        const problem = item.validate?.(value);
        if (problem !== undefined) throw new ValidationError(joinPath(head, i), problem, value);
        const t = remembered?.[i];
        const start = w.beginAttribute(t ? t.type : NFTA_LIST_ELEM, t ? packed(t.nested, t.netByteOrder) : plain);
        item.encode(w, value, w.pathsOptional ? '' : joinPath(head, i));
        w.endAttribute(start, head, i);
      }
    },
    decode(bytes, at, path) {
      const out: T[] = [];
      const types: ItemType[] = [];
      walkAttributes(bytes, at, path, (type, flags, payload, payloadAt) => {
        const itemPath = `${path ? `${path}.` : ''}${name}[${out.length}]`;
        out.push(item.decode(payload, payloadAt, itemPath));
        types.push({ type, nested: (flags & NLA_F_NESTED) !== 0, netByteOrder: (flags & NLA_F_NET_BYTEORDER) !== 0 });
      });
      itemTypes.set(out, types);
      return out;
    },
    validate(items) {
      return Array.isArray(items) ? undefined : 'must be an array';
    },
  };
}
