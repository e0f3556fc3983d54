// Running Odoo 19 from source: one-shot commands (install, tests) and the long-running server.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { tailFile } from './log.js';
import { addonsPath, odooPython, odooSrc } from './paths.js';
import type { PgServer } from './pg.js';
import { isAlive, runCommand, spawnDetached, type RunResult } from './proc.js';

export const ADMIN_LOGIN = 'admin';
export const ADMIN_PASSWORD = 'admin';

/** The command line that runs Odoo: Debian's python3 on `$ODOO_SRC/setup/odoo`. */
export function odooInvocation(args: readonly string[]): { cmd: string; args: string[]; env: NodeJS.ProcessEnv } {
  const env: NodeJS.ProcessEnv = { ...process.env, PYTHONPATH: odooSrc() };
  // A virtualenv or a user site on PATH must not leak into Debian's interpreter.
  delete env['PYTHONHOME'];
  delete env['VIRTUAL_ENV'];
  return { cmd: odooPython(), args: [join(odooSrc(), 'setup', 'odoo'), ...args], env };
}

/** Connection and database selection options: one database, never listed. */
export function databaseArgs(server: PgServer, db: string): string[] {
  return [
    `--db_host=${server.host}`,
    `--db_port=${server.port}`,
    `--db_user=${server.user}`,
    `--db_password=${server.password}`,
    `--database=${db}`,
    `--db-filter=^${db}$`,
    '--no-database-list',
  ];
}

export interface OneShotOptions {
  server: PgServer;
  db: string;
  dataDir: string;
  /** Odoo's log (`--logfile`); stdout and stderr are appended to it as well. */
  logFile: string;
  httpPort: number;
  /** Extra options, e.g. `-i rest_gateway --test-enable`. */
  args: readonly string[];
  logLevel?: string;
  timeoutMs?: number;
}

/** Run Odoo with `--stop-after-init` (threaded, no cron) and wait for it to exit. */
export async function runOdooOnce(options: OneShotOptions): Promise<RunResult> {
  const inv = odooInvocation([
    `--addons-path=${addonsPath()}`,
    ...databaseArgs(options.server, options.db),
    `--data-dir=${options.dataDir}`,
    '--http-interface=127.0.0.1',
    `--http-port=${options.httpPort}`,
    '--workers=0',
    '--max-cron-threads=0',
    `--log-level=${options.logLevel ?? 'warn'}`,
    `--logfile=${options.logFile}`,
    ...options.args,
    '--stop-after-init',
  ]);
  const runOptions = { env: inv.env, logFile: options.logFile, ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}) };
  return runCommand(inv.cmd, inv.args, runOptions);
}

export interface ServerOptions {
  server: PgServer;
  db: string;
  dataDir: string;
  logFile: string;
  httpPort: number;
  geventPort: number;
  workers: number;
  logLevel?: string;
}

/** Start the Odoo server detached, in its own process group; returns its pid. */
export async function startOdooServer(options: ServerOptions): Promise<number> {
  const inv = odooInvocation([
    `--addons-path=${addonsPath()}`,
    ...databaseArgs(options.server, options.db),
    `--data-dir=${options.dataDir}`,
    '--http-interface=127.0.0.1',
    `--http-port=${options.httpPort}`,
    `--workers=${options.workers}`,
    `--gevent-port=${options.geventPort}`,
    '--max-cron-threads=0',
    `--log-level=${options.logLevel ?? 'warn'}`,
    // XML-RPC is the integration tests' oracle: its per-call deprecation warning is noise here.
    '--log-handler=odoo.addons.rpc.controllers.xmlrpc:ERROR',
    `--logfile=${options.logFile}`,
  ]);
  // Anything printed before the log file is open (import errors) lands next to it.
  return spawnDetached(inv.cmd, inv.args, { env: inv.env, logFile: `${options.logFile}.stdout` });
}

export interface WaitOptions {
  timeoutMs: number;
  /** Fail at once when this process dies. */
  pid?: number;
  /** Name used in error messages. */
  what: string;
  /** Logs whose tails go into the error message (those that exist by then). */
  logFiles?: string[];
}

/** Poll `url` until it answers 200. */
export async function waitForHttpOk(url: string, options: WaitOptions): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  let last = 'no answer yet';
  const logTail = (): string =>
    (options.logFiles ?? [])
      .filter((file) => existsSync(file))
      .map((file) => `\n--- last lines of ${file} ---\n${tailFile(file, 40)}`)
      .join('');
  while (Date.now() < deadline) {
    if (options.pid !== undefined && !isAlive(options.pid)) {
      throw new Error(`${options.what} exited before ${url} answered 200${logTail()}`);
    }
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
      await response.arrayBuffer();
      if (response.status === 200) return;
      last = `HTTP ${response.status}`;
    } catch (error) {
      last = error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
    }
    await sleep(250);
  }
  throw new Error(`${options.what} did not answer 200 on ${url} within ${Math.round(options.timeoutMs / 1000)} s (last: ${last})${logTail()}`);
}
