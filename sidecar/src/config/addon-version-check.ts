/** Refuses to start against an addon version whose bridge protocol we do not speak. */
import { readInstalledAddonVersion } from '../db/addon-version.js';
import type { Db } from '../db/knex.js';

/**
 * Versions of rest_gateway this sidecar speaks: 19.0.1.x from 19.0.1.2 on
 * (the scopes' `restrict_fields` column, docs/decisions.md D-S34; the v2
 * bridge signature, with nonces, docs/bridge-protocol.md; the bridge takes
 * the Idempotency-Key claim of a write, D-S40).
 */
export const SUPPORTED_ADDON_VERSION = /^19\.0\.1\.([2-9]|[1-9]\d+)(\.\d+)?$/;

export function isSupportedAddonVersion(version: string): boolean {
  return SUPPORTED_ADDON_VERSION.test(version);
}

export async function checkAddonVersion(db: Db, dbName: string): Promise<void> {
  let version: string | null;
  try {
    version = await readInstalledAddonVersion(db);
  } catch (error) {
    throw new Error(`cannot read the database "${dbName}": ${(error as Error).message}`);
  }
  if (!version) throw new Error(`the Odoo addon rest_gateway is not installed in database "${dbName}"`);
  if (!isSupportedAddonVersion(version)) {
    throw new Error(`the installed rest_gateway addon is version ${version}; this sidecar speaks 19.0.1.x from 19.0.1.2 on`);
  }
}
