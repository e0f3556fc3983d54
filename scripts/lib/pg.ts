// A throwaway PostgreSQL cluster: init, start, stop, createdb, destroy.
//
// initdb and the server refuse to run as root, so when we are root every
// server-side command runs as the OS user `postgres` (runuser) and the
// folders it uses are chowned to it. Clients connect over TCP on 127.0.0.1
// with the cluster's own superuser role (never `postgres`: Odoo refuses it).
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pgBinDir } from './paths.js';
import { isAlive, mustRun, runCommand, stopProcess, type RunResult } from './proc.js';

const SERVER_USER = 'postgres';

export interface PgRole {
  user: string;
  password: string;
}

export interface PgServer extends PgRole {
  /** Holds the data directory (`data/`), the socket and the server log. */
  root: string;
  port: number;
  host: string;
}

function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

function bin(name: string): string {
  return join(pgBinDir(), name);
}

export function dataDir(root: string): string {
  return join(root, 'data');
}

export function serverLog(root: string): string {
  return join(root, 'postgresql.log');
}

/** Run a server-side binary as the cluster's OS owner. */
function runAsOwner(cmd: string, args: readonly string[]): Promise<RunResult> {
  if (isRoot()) return mustRun('runuser', ['-u', SERVER_USER, '--', cmd, ...args]);
  return mustRun(cmd, args);
}

/** Give a folder (recursively) to the OS user the server runs as (only needed when root). */
export async function chownToServerUser(path: string): Promise<void> {
  if (isRoot()) await mustRun('chown', ['-R', `${SERVER_USER}:${SERVER_USER}`, path]);
}

/** Create `root` with a fresh cluster in `root/data` whose bootstrap superuser is `role`. */
export async function initCluster(root: string, role: PgRole): Promise<void> {
  mkdirSync(root, { recursive: true, mode: 0o700 });
  chmodSync(root, 0o700);
  const pwfile = join(root, 'pwfile');
  writeFileSync(pwfile, `${role.password}\n`, { mode: 0o600 });
  await chownToServerUser(root);
  try {
    await runAsOwner(bin('initdb'), [
      '-D', dataDir(root),
      '-U', role.user,
      `--pwfile=${pwfile}`,
      '--auth-local=trust',
      '--auth-host=scram-sha-256',
      '--encoding=UTF8',
      '--locale=C.UTF-8',
      '--no-sync',
    ]);
  } finally {
    rmSync(pwfile, { force: true });
  }
}

/** Start the cluster in `root/data` on 127.0.0.1:`port`; waits until it accepts connections. */
export async function startCluster(root: string, port: number, role: PgRole): Promise<PgServer> {
  const options = [
    `-p ${port}`,
    '-c listen_addresses=127.0.0.1',
    `-k ${root}`,
    '-c fsync=off',
    '-c synchronous_commit=off',
    '-c full_page_writes=off',
    '-c max_connections=200',
  ].join(' ');
  await runAsOwner(bin('pg_ctl'), ['-D', dataDir(root), '-l', serverLog(root), '-o', options, '-w', '-t', '60', 'start']).catch(
    (error: unknown) => {
      const log = existsSync(serverLog(root)) ? readFileSync(serverLog(root), 'utf8').slice(-2000) : '';
      throw new Error(`PostgreSQL did not start: ${error instanceof Error ? error.message : String(error)}\n${log}`);
    },
  );
  return { root, port, host: '127.0.0.1', user: role.user, password: role.password };
}

/** Pid of the postmaster of the cluster in `root/data`, if its pid file is there. */
export function postmasterPid(root: string): number | undefined {
  const file = join(dataDir(root), 'postmaster.pid');
  if (!existsSync(file)) return undefined;
  const pid = Number(readFileSync(file, 'utf8').split('\n')[0]);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

function servesFolder(pid: number, root: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes(dataDir(root));
  } catch {
    return false;
  }
}

/** Stop the cluster (fast shutdown); SIGKILL the postmaster if it does not go. */
export async function stopCluster(root: string, knownPid?: number): Promise<void> {
  // A recorded pid is only trusted while it is still a postgres serving this folder.
  const pid = postmasterPid(root) ?? (knownPid !== undefined && servesFolder(knownPid, root) ? knownPid : undefined);
  if (pid === undefined || !isAlive(pid)) return;
  if (existsSync(dataDir(root))) {
    const result = await runCommand(
      isRoot() ? 'runuser' : bin('pg_ctl'),
      isRoot()
        ? ['-u', SERVER_USER, '--', bin('pg_ctl'), '-D', dataDir(root), '-m', 'fast', '-w', '-t', '20', 'stop']
        : ['-D', dataDir(root), '-m', 'fast', '-w', '-t', '20', 'stop'],
    );
    if (result.code === 0) {
      // pg_ctl returns once the pid file is gone; make sure the process is too.
      for (let i = 0; i < 50 && isAlive(pid); i++) await sleep(100);
    }
  }
  if (isAlive(pid)) await stopProcess(pid, 5_000);
}

/** Environment for libpq client tools (psql, createdb, pg_dump) talking to `server`. */
export function clientEnv(server: PgServer): NodeJS.ProcessEnv {
  return {
    ...process.env,
    PGHOST: server.host,
    PGPORT: String(server.port),
    PGUSER: server.user,
    PGPASSWORD: server.password,
    PGDATABASE: 'postgres',
  };
}

/** `createdb [-T template] name` */
export async function createDatabase(server: PgServer, name: string, template?: string): Promise<void> {
  const args = template ? ['-T', template, name] : [name];
  await mustRun(bin('createdb'), args, { env: clientEnv(server) });
}

/** Run one SQL statement with psql; returns its unaligned, tuples-only output. */
export async function psql(server: PgServer, database: string, sql: string): Promise<string> {
  const result = await mustRun(bin('psql'), ['-X', '-v', 'ON_ERROR_STOP=1', '-At', '-d', database, '-c', sql], {
    env: clientEnv(server),
  });
  return result.stdout.trim();
}

/** `postgres://user:password@host:port/db` */
export function databaseUrl(server: PgServer, database: string): string {
  const user = encodeURIComponent(server.user);
  const password = encodeURIComponent(server.password);
  return `postgres://${user}:${password}@${server.host}:${server.port}/${encodeURIComponent(database)}`;
}

/** Stop the cluster and remove its folder. */
export async function destroyCluster(root: string, knownPid?: number): Promise<void> {
  await stopCluster(root, knownPid);
  rmSync(root, { recursive: true, force: true });
}

/** `postgres --version`, part of the template cache key (a data dir only works with its major version). */
export async function serverVersion(): Promise<string> {
  const result = await mustRun(bin('postgres'), ['--version']);
  return result.stdout.trim();
}
