// A throwaway cluster + Odoo database made from the cached template, and the addon installed in it.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { elapsed, info, tailFile } from './log.js';
import { runOdooOnce } from './odoo.js';
import { repoAddonsDir } from './paths.js';
import { createDatabase, psql, startCluster, stopCluster, type PgServer } from './pg.js';
import { freePort } from './ports.js';
import { copyFilestore, copyTemplateCluster, ensureTemplate } from './template.js';

export const ADDON = 'rest_gateway';

export interface ProvisionedDb {
  server: PgServer;
  db: string;
  pgRoot: string;
  odooDataDir: string;
}

/** `stateDir/pg`: where `provisionDatabase` puts the cluster (so a failed run can still stop it). */
export function clusterRootOf(stateDir: string): string {
  return join(stateDir, 'pg');
}

/**
 * Copy the cached template cluster into `stateDir`, start it on a free port,
 * `createdb -T` the template as `db` and copy its filestore.
 */
export async function provisionDatabase(stateDir: string, db: string): Promise<ProvisionedDb> {
  const template = await ensureTemplate();
  const started = performance.now();
  const { pgRoot, odooDataDir } = await copyTemplateCluster(template, stateDir);
  const server = await startCluster(pgRoot, await freePort(), template.meta.role);
  await createDatabase(server, db, template.meta.template_db);
  await copyFilestore(template, odooDataDir, db);
  info(`PostgreSQL on 127.0.0.1:${server.port}, database ${db} copied from the template in ${elapsed(started)}`);
  return { server, db, pgRoot, odooDataDir };
}

/** Stop the cluster of `stateDir` if one runs there. */
export async function stopProvisioned(stateDir: string, knownPid?: number): Promise<void> {
  const root = clusterRootOf(stateDir);
  if (existsSync(root) || knownPid !== undefined) await stopCluster(root, knownPid);
}

/** State of a module in the database (`uninstalled`, `installed`, ..., or '' when unknown). */
export async function moduleState(target: ProvisionedDb, module: string): Promise<string> {
  return psql(target.server, target.db, `SELECT state FROM ir_module_module WHERE name = '${module.replace(/'/g, "''")}'`);
}

/** Fail with a clear message when the addon is not in the repository. */
export function assertAddonPresent(): void {
  const manifest = join(repoAddonsDir(), ADDON, '__manifest__.py');
  if (!existsSync(manifest)) throw new Error(`the addon is missing: ${manifest} does not exist`);
}

/** `-i rest_gateway --stop-after-init`, checked: the module must end up installed. */
export async function installAddon(target: ProvisionedDb, logFile: string): Promise<void> {
  assertAddonPresent();
  const started = performance.now();
  const result = await runOdooOnce({
    server: target.server,
    db: target.db,
    dataDir: target.odooDataDir,
    logFile,
    httpPort: await freePort(),
    args: [`--init=${ADDON}`],
  });
  const state = await moduleState(target, ADDON).catch(() => '');
  if (result.code !== 0 || state !== 'installed') {
    throw new Error(
      `installing ${ADDON} failed (exit ${result.code}, module state '${state || 'unknown'}')\n--- last lines of ${logFile} ---\n${tailFile(logFile, 60)}`,
    );
  }
  info(`${ADDON} installed in ${elapsed(started)}`);
}
