/** Reads which version of the rest_gateway addon is installed in the database. */
import type { Db } from './knex.js';

export async function readInstalledAddonVersion(db: Db): Promise<string | null> {
  const row = await db('ir_module_module')
    .where({ name: 'rest_gateway', state: 'installed' })
    .first<{ latest_version: string | null } | undefined>('latest_version');
  return row?.latest_version ?? null;
}
