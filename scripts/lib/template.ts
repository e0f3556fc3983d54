// The template cache: a stopped PostgreSQL cluster holding a database with
// Odoo's base modules installed, plus that database's filestore. Building it
// takes ~30 s; every run then copies it, which takes about a second.
//
// Layout: <cacheRoot>/<key>/{pg/data, filestore/, meta.json}
// key = sha256(odoo/release.py, module list, PostgreSQL version, CACHE_FORMAT)
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { elapsed, info, tailFile, warn } from './log.js';
import { runOdooOnce } from './odoo.js';
import { cacheRoot, odooSrc } from './paths.js';
import { createDatabase, destroyCluster, initCluster, serverVersion, startCluster, stopCluster, type PgRole, type PgServer } from './pg.js';
import { freePort } from './ports.js';
import { isAlive } from './proc.js';
import { copyTree, makeStateDir, removeTree } from './fsutil.js';

/** Bump when the layout or the way the template is built changes. */
const CACHE_FORMAT = '1';

/** Modules installed in the template; `rpc` gives Odoo's own XML-RPC/JSON-2 APIs (test oracle, benchmark baseline). */
export const TEMPLATE_MODULES: readonly string[] = ['base', 'web', 'mail', 'rpc'];
export const TEMPLATE_DB = 'rgw_template';

export interface TemplateMeta {
  format: string;
  key: string;
  created_at: string;
  odoo_release_sha256: string;
  postgres_version: string;
  modules: string[];
  template_db: string;
  role: PgRole;
}

export interface Template {
  dir: string;
  meta: TemplateMeta;
}

function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

function isTemplateMeta(value: unknown): value is TemplateMeta {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  const role = v['role'] as Record<string, unknown> | undefined;
  return (
    typeof v['key'] === 'string' &&
    typeof v['template_db'] === 'string' &&
    typeof role === 'object' &&
    role !== null &&
    typeof role['user'] === 'string' &&
    typeof role['password'] === 'string'
  );
}

async function cacheKey(): Promise<{ key: string; releaseHash: string; pgVersion: string }> {
  const releaseFile = join(odooSrc(), 'odoo', 'release.py');
  if (!existsSync(releaseFile)) throw new Error(`Odoo not found: ${releaseFile} does not exist (set ODOO_SRC)`);
  const releaseHash = sha256(readFileSync(releaseFile));
  const pgVersion = await serverVersion();
  const key = sha256([CACHE_FORMAT, releaseHash, TEMPLATE_MODULES.join(','), pgVersion].join('\n')).slice(0, 16);
  return { key, releaseHash, pgVersion };
}

function readMeta(dir: string): TemplateMeta | undefined {
  const file = join(dir, 'meta.json');
  if (!existsSync(file)) return undefined;
  try {
    const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
    return isTemplateMeta(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** Take `<dir>.lock` (a folder holding the owner's pid), waiting while a live process holds it. */
async function withLock<T>(lockDir: string, body: () => Promise<T>): Promise<T> {
  const pidFile = join(lockDir, 'pid');
  let announced = false;
  for (;;) {
    try {
      mkdirSync(lockDir);
      writeFileSync(pidFile, String(process.pid));
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number(existsSync(pidFile) ? readFileSync(pidFile, 'utf8') : NaN);
      if (Number.isInteger(owner) && owner > 0 && !isAlive(owner)) {
        removeTree(lockDir); // stale lock of a dead builder
        continue;
      }
      if (!announced) {
        info(`waiting for another process (pid ${owner}) building the template cache...`);
        announced = true;
      }
      await sleep(500);
    }
  }
  try {
    return await body();
  } finally {
    removeTree(lockDir);
  }
}

/** The cached template for the current Odoo source, built first when missing. */
export async function ensureTemplate(): Promise<Template> {
  const { key, releaseHash, pgVersion } = await cacheKey();
  const root = cacheRoot();
  const dir = join(root, key);
  const cached = readMeta(dir);
  if (cached) {
    info(`template cache hit: ${dir}`);
    return { dir, meta: cached };
  }
  mkdirSync(root, { recursive: true });
  return withLock(`${dir}.lock`, async () => {
    const again = readMeta(dir); // built by whoever held the lock
    if (again) return { dir, meta: again };
    if (existsSync(dir)) removeTree(dir); // an incomplete leftover
    const meta = await buildTemplate(dir, key, releaseHash, pgVersion);
    pruneOldTemplates(root, key);
    return { dir, meta };
  });
}

async function buildTemplate(dir: string, key: string, releaseHash: string, pgVersion: string): Promise<TemplateMeta> {
  const started = performance.now();
  info(`building the template cache (${TEMPLATE_MODULES.join(',')}); this takes about a minute, once`);
  const work = makeStateDir('rest-gateway-template');
  const role: PgRole = { user: 'odoo', password: randomBytes(18).toString('base64url') };
  const pgRoot = join(work, 'pg');
  const dataDir = join(work, 'odoo-data');
  const logFile = join(work, 'odoo-template.log');
  let server: PgServer | undefined;
  try {
    await initCluster(pgRoot, role);
    server = await startCluster(pgRoot, await freePort(), role);
    await createDatabase(server, TEMPLATE_DB);
    const result = await runOdooOnce({
      server,
      db: TEMPLATE_DB,
      dataDir,
      logFile,
      httpPort: await freePort(),
      args: [`--init=${TEMPLATE_MODULES.join(',')}`, '--without-demo=True'],
      timeoutMs: 15 * 60_000,
    });
    if (result.code !== 0) {
      throw new Error(`installing ${TEMPLATE_MODULES.join(',')} failed (exit ${result.code})\n${tailFile(logFile, 60)}`);
    }
    // A clean shutdown, so that each copy starts without crash recovery.
    await stopCluster(pgRoot);
    const staging = `${dir}.partial-${process.pid}`;
    removeTree(staging);
    mkdirSync(staging, { recursive: true });
    await copyTree(pgRoot, join(staging, 'pg'));
    const filestore = join(dataDir, 'filestore', TEMPLATE_DB);
    if (existsSync(filestore)) await copyTree(filestore, join(staging, 'filestore'));
    else mkdirSync(join(staging, 'filestore'));
    const meta: TemplateMeta = {
      format: CACHE_FORMAT,
      key,
      created_at: new Date().toISOString(),
      odoo_release_sha256: releaseHash,
      postgres_version: pgVersion,
      modules: [...TEMPLATE_MODULES],
      template_db: TEMPLATE_DB,
      role,
    };
    writeFileSync(join(staging, 'meta.json'), `${JSON.stringify(meta, null, 2)}\n`, { mode: 0o600 });
    renameSync(staging, dir);
    info(`template cache built in ${elapsed(started)}: ${dir}`);
    return meta;
  } finally {
    if (server) await destroyCluster(pgRoot).catch((error: unknown) => warn(String(error)));
    removeTree(work);
  }
}

/** Remove cached templates of other keys (older Odoo checkouts), keeping the current one. */
function pruneOldTemplates(root: string, keep: string): void {
  for (const entry of readdirSync(root)) {
    if (entry === keep || entry.endsWith('.lock') || entry.includes('.partial-')) continue;
    if (/^[0-9a-f]{16}$/.test(entry)) {
      info(`removing an outdated template cache: ${join(root, entry)}`);
      removeTree(join(root, entry));
    }
  }
}

/** Where a run's copy of the template goes: its cluster folder and Odoo data dir. */
export interface ClusterCopy {
  pgRoot: string;
  odooDataDir: string;
}

/**
 * Copy the cached cluster into `stateDir/pg` and prepare `stateDir/odoo-data`.
 * The filestore is copied by `copyFilestore` once the database exists.
 */
export async function copyTemplateCluster(template: Template, stateDir: string): Promise<ClusterCopy> {
  const pgRoot = join(stateDir, 'pg');
  await copyTree(join(template.dir, 'pg'), pgRoot);
  const odooDataDir = join(stateDir, 'odoo-data');
  mkdirSync(join(odooDataDir, 'filestore'), { recursive: true });
  return { pgRoot, odooDataDir };
}

/** The template's filestore becomes `<odooDataDir>/filestore/<db>`. */
export async function copyFilestore(template: Template, odooDataDir: string, db: string): Promise<void> {
  await copyTree(join(template.dir, 'filestore'), join(odooDataDir, 'filestore', db));
}
