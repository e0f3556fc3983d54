/** Reads the bridge's signing secret (a system parameter the addon creates at install). */
import type { Db } from './knex.js';

export const BRIDGE_SECRET_KEY = 'rest_gateway.bridge_secret';

export async function readBridgeSecret(db: Db): Promise<string | null> {
  const row = await db('ir_config_parameter')
    .where({ key: BRIDGE_SECRET_KEY })
    .first<{ value: string | null } | undefined>('value');
  return row?.value || null;
}
