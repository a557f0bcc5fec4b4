/**
 * STATUS (CNI 1.1.0): can this plugin service ADD now? It needs rtnetlink and nf_tables in
 * this namespace, a writable data directory, and its IPAM plugin (asked for its own STATUS
 * when it speaks 1.1.0). Not ready is error 50.
 */
import { accessSync, constants, mkdirSync } from 'node:fs';
import { connect } from '../../netlink/connect.js';
import { readGeneration } from '../../nft/reader.js';
import { CniError, CniErrorCode } from '../errors.js';
import { delegate, findPlugin, pluginVersions } from '../ipam.js';
import { ipamOf, type Invocation } from '../invocation.js';
import { connectNetfilter } from '../netfilter.js';

function unavailable(what: string, err: unknown): CniError {
  return new CniError(CniErrorCode.NotAvailable, `netns-ts-cni cannot service ADD: ${what}`, err instanceof Error ? err.message : String(err));
}

export async function status(inv: Invocation): Promise<void> {
  try {
    mkdirSync(inv.conf.dataDir, { recursive: true, mode: 0o700 });
    accessSync(inv.conf.dataDir, constants.W_OK);
  } catch (err) {
    throw unavailable(`data directory ${inv.conf.dataDir} is not writable`, err);
  }
  try {
    connect().close();
  } catch (err) {
    throw unavailable('no rtnetlink socket', err);
  }
  const netfilter = (() => {
    try {
      return connectNetfilter();
    } catch (err) {
      throw unavailable('no netfilter netlink socket', err);
    }
  })();
  try {
    await readGeneration(netfilter);
  } catch (err) {
    throw unavailable('nf_tables does not answer', err);
  } finally {
    netfilter.close();
  }
  const ipam = ipamOf(inv);
  if (!ipam) return;
  try {
    findPlugin(ipam.type, ipam.cniPath);
  } catch (err) {
    throw unavailable(`IPAM plugin ${ipam.type} is not installed`, err);
  }
  if ((await pluginVersions(ipam))?.includes('1.1.0')) await delegate(ipam, 'STATUS');
}
