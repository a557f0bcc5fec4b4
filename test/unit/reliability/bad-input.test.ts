import { describe, expect, it } from 'vitest';
import { validateTopology } from '../../../src/api/topology/validate.js';
import { Connection } from '../../../src/netlink/connection.js';
import { ValidationError } from '../../../src/netlink/errors.js';
import { addRule } from '../../../src/nft/rule-commands.js';
import { NftClient } from '../../../src/nft/client.js';
import { createNetns, openNetns } from '../../../src/netns/index.js';
import { FakeKernel } from '../../../src/netlink/testing/index.js';
import { Addresses } from '../../../src/route/addresses.js';
import { Links } from '../../../src/route/links.js';
import { Routes } from '../../../src/route/routes.js';
import { recordFigure } from '../../helpers/figures.js';

// Every bad input is refused with a ValidationError before any datagram leaves: the fake
// kernel is a spy that counts what was sent (it must stay 0).
const BAD_IFNAMES = ['x'.repeat(16), 'éééééééé', '', '.', '..', 'a/b', 'a:b', 'a b', 'a\tb', 'a\0b', 'eth%d', 'a\x01b', 'a\x7fb', '$(reboot)', 'a;b c'];
const BAD_NETNS = ['../x', 'a/b', '.', '..', '', 'x'.repeat(256), 'a\0b'];
const BAD_ADDRESSES = ['1.2.3', '01.2.3.4', '1.2.3.4/33', '256.1.1.1', '1.2.3.4.5', 'fe80::1::2', '::ffff:1.2.3', '1.2.3.4/-1', '1.2.3.4/ 8', ' 1.2.3.4'];

function spy() {
  const kernel = new FakeKernel((m, k) => k.ack(m));
  return { kernel, conn: new Connection(kernel) };
}

async function refused(what: string, run: () => unknown): Promise<ValidationError> {
  recordFigure('bad inputs tried');
  let error: unknown;
  try {
    await run();
  } catch (e) {
    error = e;
  }
  expect(error, what).toBeInstanceOf(ValidationError);
  recordFigure('bad inputs refused before sending');
  return error as ValidationError;
}

describe('bad input through the public API: refused before anything is sent', () => {
  for (const name of BAD_IFNAMES) {
    it(`interface name ${JSON.stringify(name)}`, async () => {
      const { kernel, conn } = spy();
      const links = new Links(conn);
      await refused('createBridge', () => links.createBridge({ name }));
      await refused('createVeth peer', () => links.createVeth({ name: 'ok0', peer: { name } }));
      await refused('set name', () => links.set('ok0', { name }));
      await refused('address dev', () => new Addresses(conn).add({ dev: name, address: '10.0.0.1/24' }));
      await refused('topology', () => validateTopology({ name: 't', bridges: [{ name }] }));
      expect(kernel.sent).toHaveLength(0);
    });
  }

  for (const name of BAD_NETNS) {
    it(`namespace name ${JSON.stringify(name.length > 20 ? `${name.slice(0, 8)}…(${name.length})` : name)}`, async () => {
      await refused('createNetns', () => createNetns(name));
      await refused('openNetns', () => openNetns(name));
      await refused('topology', () => validateTopology({ name: 't', namespaces: [{ name }] }));
    });
  }

  for (const address of BAD_ADDRESSES) {
    it(`address ${JSON.stringify(address)}`, async () => {
      const { kernel, conn } = spy();
      await refused('addresses.add', () => new Addresses(conn).add({ dev: 'eth0', address }));
      await refused('routes.add', () => new Routes(conn).add({ to: address, dev: 'eth0' }));
      await refused('topology', () => validateTopology({ name: 't', bridges: [{ name: 'br0', addresses: [address] }] }));
      expect(kernel.sent).toHaveLength(0);
    });
  }

  it('family mismatches between route parts', async () => {
    const { kernel, conn } = spy();
    await refused('v4 route via v6', () => new Routes(conn).add({ to: '10.0.0.0/8', via: 'fd00::1' }));
    await refused('topology gateway', () => validateTopology({ name: 't', namespaces: [{ name: 'a', routes: [{ to: '10.0.0.0/8', via: 'fd00::1' }] }] }));
    expect(kernel.sent).toHaveLength(0);
  });

  for (const port of [0, 65536, -1, 1.5, '90-80', '1-', 'http']) {
    it(`port ${JSON.stringify(port)}`, async () => {
      await refused('forward', () =>
        validateTopology({ name: 't', bridges: [{ name: 'br0', addresses: ['10.0.0.1/24'] }], nat: { forwards: [{ protocol: 'tcp', port: port as number, to: '10.0.0.2:80' }] } }),
      );
    });
  }

  it('nf_tables: NAT in the wrong hook, unknown options, bad names', async () => {
    const { kernel, conn } = spy();
    const nft = new NftClient(conn);
    await refused('chain type nat in a filter-only family hook', () => nft.addChain({ family: 'inet', table: 't', name: 'c', type: 'nat', hook: 'forward', priority: 0 }));
    await refused('unknown table flag', () => nft.addTable({ family: 'inet', name: 't', flags: ['nope' as never] }));
    await refused('table name with NUL', () => nft.addTable({ family: 'inet', name: 'a\0b' }));
    await refused('unknown family', () => nft.addTable({ family: 'ipx' as never, name: 't' }));
    await refused('rule with a non-expression', () => nft.apply([addRule({ family: 'inet', table: 't', chain: 'c', expressions: [{ nope: 1 } as never] })]));
    expect(kernel.sent).toHaveLength(0);
  });

  it('unknown options are refused, not ignored', async () => {
    const { kernel, conn } = spy();
    await refused('links.set unknown key', () => new Links(conn).set('eth0', { mtuu: 1500 } as never));
    await refused('topology unknown forward protocol', () => validateTopology({ name: 't', nat: { forwards: [{ protocol: 'sctp' as never, port: 1, to: '1.2.3.4' }] } }));
    expect(kernel.sent).toHaveLength(0);
  });
});
