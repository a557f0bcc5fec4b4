/**
 * The address scanner (address-scan.ts) holds to the generic way — decode the message, then
 * toAddress — with the properties of scanner-properties.ts, on generated addresses (mostly the
 * attributes it reads, sometimes any) and on bodies of any attribute lengths and repeats.
 */
import fc from 'fast-check';
import { describe } from 'vitest';
import { formatIp } from '../../../src/netlink/addresses.js';
import { addressAttributes, addressMessage, ifaCacheinfo, ifaddrmsg, type AddressMessageValue } from '../../../src/netlink/route/address.js';
import { scanAddress } from '../../../src/route/address-scan.js';
import { toAddress } from '../../../src/route/addresses.js';
import { arbitraryOf } from '../../helpers/arbitrary.js';
import { rawBodies, scannerProperties } from './scanner-properties.js';

const AF_INET = 2;
const AF_INET6 = 10;
/** Not an IP family: the scanner must leave it to the generic way. */
const OTHER_FAMILY = 7;

interface AddressSelection {
  index: number;
  family: number;
}

const address = (family: number) => fc.uint8Array({ minLength: family === AF_INET6 ? 16 : 4, maxLength: family === AF_INET6 ? 16 : 4 }).map(formatIp);

/** Mostly the attributes the scanner reads, of the header's family; sometimes any other. */
const messages: fc.Arbitrary<AddressMessageValue> = fc
  .tuple(arbitraryOf(ifaddrmsg), fc.constantFrom(AF_INET, AF_INET6, AF_INET, OTHER_FAMILY), fc.integer({ min: 0, max: 3 }))
  .chain(([header, family, index]) =>
    fc.record({
      header: fc.constant({ ...(header as AddressMessageValue['header']), family, index }),
      attributes: fc.oneof(
        {
          weight: 4,
          arbitrary: fc.record(
            {
              address: address(family),
              // Often the same as address, as on broadcast interfaces.
              local: fc.oneof(address(family), fc.constant('same')),
              label: fc.constantFrom('eth0', 'eth0:1', 'lo', 'veth-red'),
              broadcast: address(family),
              anycast: address(family),
              multicast: address(family),
              cacheinfo: arbitraryOf(ifaCacheinfo),
              flags: arbitraryOf(addressAttributes.specs.flags.codec),
              rtPriority: fc.integer({ min: 0, max: 0xffffffff }),
              proto: arbitraryOf(addressAttributes.specs.proto.codec),
            },
            { requiredKeys: [] },
          ).map((a) => (a.local === 'same' ? (a.address === undefined ? (({ local: _, ...rest }) => rest)(a) : { ...a, local: a.address }) : a)),
        },
        { weight: 1, arbitrary: arbitraryOf(addressAttributes) },
      ),
    }),
  ) as fc.Arbitrary<AddressMessageValue>;

/** What a listing keeps, written out here: the device (0: any), the family (0: any). */
const expectedKept = (s: AddressSelection, m: AddressMessageValue): boolean => (s.index === 0 || m.header.index === s.index) && (s.family === 0 || m.header.family === s.family);

describe('address scanner (property)', () => {
  scannerProperties<AddressMessageValue, AddressSelection>({
    codec: addressMessage,
    scan: (b, start, end, s) => scanAddress(b, start, end, s.index, s.family) as unknown as { message: AddressMessageValue } | null | undefined,
    convert: toAddress,
    // As Addresses.list selects a decoded message.
    selects: (s, m) => (s.index === 0 || m.header.index === s.index) && (s.family === 0 || m.header.family === s.family),
    expectedKept,
    messages,
    selections: fc.record({ index: fc.integer({ min: 0, max: 3 }), family: fc.constantFrom(0, AF_INET, AF_INET6) }),
    keepAll: () => ({ index: 0, family: 0 }),
    // The types it reads (address … proto) and one it does not (IFA_TARGET_NETNSID, 10).
    rawBodies: rawBodies([AF_INET, AF_INET6], ifaddrmsg.size, [1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 10], [0, 1, 2, 3, 4, 5, 8, 16, 17]),
  });
});
