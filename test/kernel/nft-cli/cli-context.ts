/**
 * A CliContext for tests: output collected in arrays, connections opened inside a given
 * namespace (cached per protocol, closed by `close()`).
 */
import type { CliContext } from '../../../src/cli/context.js';
import type { Connection } from '../../../src/netlink/connection.js';
import { connectInNetns } from '../../../src/netns/connect.js';

export interface TestContext extends CliContext {
  lines: string[];
  errors: string[];
  close(): void;
}

export function testContext(netns: string, options: { json?: boolean } = {}): TestContext {
  const connections = new Map<number, Connection>();
  const lines: string[] = [];
  const errors: string[] = [];
  return {
    lines,
    errors,
    out: (line) => lines.push(line),
    err: (line) => errors.push(line),
    netns,
    json: options.json ?? false,
    pretty: false,
    details: false,
    stats: false,
    connect(protocol) {
      let c = connections.get(protocol);
      if (!c) {
        c = connectInNetns(netns, { protocol });
        connections.set(protocol, c);
      }
      return c;
    },
    close() {
      for (const c of connections.values()) c.close();
      connections.clear();
    },
  };
}
