// Where things live: the repository, Odoo's source, the cache, the stack state.
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (this file is scripts/lib/paths.ts). */
export const repoRoot: string = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Odoo 19's source checkout (`$ODOO_SRC`, default /opt/odoo19). */
export function odooSrc(): string {
  return resolve(process.env['ODOO_SRC'] || '/opt/odoo19');
}

/** The Python interpreter Odoo runs on: Debian's, which has Odoo's dependencies. */
export function odooPython(): string {
  return process.env['ODOO_PYTHON'] || '/usr/bin/python3';
}

/** True when `$ODOO_SRC/odoo/release.py` exists, i.e. the product can be run at all. */
export function odooAvailable(): boolean {
  return existsSync(join(odooSrc(), 'odoo', 'release.py'));
}

/** The folder of addons this repository provides (holds rest_gateway/). */
export function repoAddonsDir(): string {
  return join(repoRoot, 'addon');
}

/** `--addons-path` value: Odoo's own addons, then ours. */
export function addonsPath(): string {
  return [join(odooSrc(), 'odoo', 'addons'), repoAddonsDir()].join(',');
}

/** Root of the template cache: `${XDG_CACHE_HOME:-$HOME/.cache}/rest-gateway`. */
export function cacheRoot(): string {
  const xdg = process.env['XDG_CACHE_HOME'];
  return join(xdg ? resolve(xdg) : join(homedir(), '.cache'), 'rest-gateway');
}

/** Where `stack.json` (and the test logs kept after a run) go: `$STACK_DIR` or `<repo>/.stack`. */
export function stackDir(): string {
  const dir = process.env['STACK_DIR'];
  return dir ? resolve(dir) : join(repoRoot, '.stack');
}

/** PostgreSQL server binaries (initdb, pg_ctl, createdb, ...). */
export function pgBinDir(): string {
  return process.env['PG_BIN'] || '/usr/lib/postgresql/15/bin';
}
