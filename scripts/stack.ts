// The whole stack on free ports, for development and integration tests:
//   npm run stack -- up [--foreground]   throwaway PostgreSQL + Odoo (addon installed, configured) + sidecar
//   npm run stack -- down                stop all of it and remove its temp folders
//   npm run stack -- status              print stack.json's public part if a stack is up
// Progress goes to stderr; `up` prints one JSON object on stdout (see StackInfo).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { clusterRootOf, installAddon, provisionDatabase, stopProvisioned } from './lib/database.js';
import { configureStack } from './lib/configure.js';
import { removeTree, makeStateDir } from './lib/fsutil.js';
import { elapsed, errorMessage, info, setLogPrefix, tailFile, warn } from './lib/log.js';
import { ADMIN_LOGIN, ADMIN_PASSWORD, startOdooServer, waitForHttpOk } from './lib/odoo.js';
import { odooAvailable, odooSrc, repoRoot } from './lib/paths.js';
import { databaseUrl, postmasterPid } from './lib/pg.js';
import { freePorts } from './lib/ports.js';
import { groupAlive, isAlive, mustRun, spawnDetached, stopGroup, stopRunningCommands } from './lib/proc.js';
import {
  publicInfo,
  readStackState,
  removeStackState,
  stackFile,
  writeStackState,
  type StackState,
} from './lib/stack-state.js';

setLogPrefix('stack');

const DB = 'rgw_stack';
// The stack runs the sidecar as production does: compiled by tsc (sidecar/tsconfig.build.json).
const SIDECAR_SOURCE = join(repoRoot, 'sidecar', 'src', 'server.ts');
const SIDECAR_ENTRY = join(repoRoot, 'sidecar', 'dist', 'server.js');
const ODOO_START_TIMEOUT_MS = 180_000;
const SIDECAR_START_TIMEOUT_MS = 90_000;

function workers(): number {
  const raw = process.env['ODOO_WORKERS'] ?? '2';
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`ODOO_WORKERS must be a whole number >= 0, got '${raw}'`);
  return value;
}

/** Does /proc/<pid>/cmdline contain `needle`? (guards against a recycled pid) */
function cmdlineIncludes(pid: number, needle: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').includes(needle);
  } catch {
    return false;
  }
}

/** Stop everything a (possibly half-started) stack recorded, remove its folders and stack.json. */
async function teardown(state: StackState): Promise<void> {
  await stopRunningCommands(); // e.g. the one-shot `odoo -i rest_gateway` when interrupted
  const { sidecar, odoo, postgres } = state.pids;
  if (sidecar !== undefined && groupAlive(sidecar)) {
    if (cmdlineIncludes(sidecar, 'server.js') || !isAlive(sidecar)) {
      info(`stopping the sidecar (pid ${sidecar})`);
      await stopGroup(sidecar, 10_000);
    } else warn(`pid ${sidecar} is no longer the sidecar; left alone`);
  }
  if (odoo !== undefined && groupAlive(odoo)) {
    if (cmdlineIncludes(odoo, state.state_dir) || !isAlive(odoo)) {
      info(`stopping Odoo (pid ${odoo})`);
      await stopGroup(odoo, 15_000);
    } else warn(`pid ${odoo} is no longer this stack's Odoo; left alone`);
  }
  if (existsSync(clusterRootOf(state.state_dir))) {
    info('stopping PostgreSQL');
    await stopProvisioned(state.state_dir, postgres).catch((error: unknown) => warn(errorMessage(error)));
  }
  for (const dir of state.temp_dirs) {
    if (existsSync(dir)) removeTree(dir);
  }
  removeStackState();
}

function anyAlive(state: StackState): boolean {
  const { sidecar, odoo, postgres } = state.pids;
  return [sidecar, odoo].some((pid) => pid !== undefined && groupAlive(pid)) || (postgres !== undefined && isAlive(postgres));
}

async function up(foreground: boolean): Promise<number> {
  const started = performance.now();
  const previous = readStackState();
  if (previous) {
    const ownerAlive = previous.owner_pid !== process.pid && isAlive(previous.owner_pid) && previous.status === 'starting';
    if (anyAlive(previous) || ownerAlive) {
      process.stderr.write(
        `[stack] a stack is already running (${stackFile()}, state dir ${previous.state_dir}).\n` +
          '[stack] Stop it first: npm run stack -- down\n',
      );
      return 1;
    }
    warn(`removing the leftovers of a stack that is no longer running (${previous.state_dir})`);
    await teardown(previous);
  }

  if (!odooAvailable()) throw new Error(`Odoo not found: ${join(odooSrc(), 'odoo', 'release.py')} does not exist (set ODOO_SRC)`);
  if (!existsSync(SIDECAR_SOURCE)) throw new Error(`the sidecar is missing: ${SIDECAR_SOURCE} does not exist`);
  // Compile while PostgreSQL and Odoo start; awaited before the sidecar starts.
  const sidecarBuild = mustRun('npm', ['run', '-s', 'build', '-w', 'sidecar'], { cwd: repoRoot, timeoutMs: 120_000 });
  sidecarBuild.catch(() => undefined); // reported where it is awaited
  const odooWorkers = workers();

  const stateDir = makeStateDir('rest-gateway-stack');
  const state: StackState = {
    status: 'starting',
    owner_pid: process.pid,
    foreground,
    started_at: new Date().toISOString(),
    state_dir: stateDir,
    temp_dirs: [stateDir],
    pids: {},
    ports: {},
  };
  writeStackState(state);

  let aborted = false;
  /** The teardown started by a signal; whoever notices `aborted` waits for it. */
  let stopping: Promise<void> | undefined;
  let signalCode = 130;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (aborted) return;
    aborted = true;
    signalCode = signal === 'SIGINT' ? 130 : 143;
    process.stderr.write(`\n[stack] ${signal}: stopping what was started...\n`);
    stopping = teardown(state)
      .catch((error: unknown) => warn(errorMessage(error)))
      .finally(() => process.exit(signalCode));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);
  /** A process started after a signal arrived is stopped at once. */
  const checkAborted = async (): Promise<void> => {
    if (!aborted) return;
    await stopping;
    await teardown(state); // again: a process may have been started while the first teardown ran
    throw new Error('interrupted');
  };

  try {
    const odooLog = join(stateDir, 'odoo.log');
    const sidecarLog = join(stateDir, 'sidecar.log');

    const target = await provisionDatabase(stateDir, DB);
    state.pids.postgres = postmasterPid(target.pgRoot);
    state.ports.postgres = target.server.port;
    writeStackState(state);
    await checkAborted();

    await installAddon(target, join(stateDir, 'odoo-install.log'));
    await checkAborted();

    const [httpPort, geventPort, sidecarPort] = (await freePorts(3)) as [number, number, number];
    const odooUrl = `http://127.0.0.1:${httpPort}`;
    info(`starting Odoo on ${odooUrl} (${odooWorkers} workers)`);
    const odooStarted = performance.now();
    state.pids.odoo = await startOdooServer({
      server: target.server,
      db: DB,
      dataDir: target.odooDataDir,
      logFile: odooLog,
      httpPort,
      geventPort,
      workers: odooWorkers,
    });
    state.ports.odoo = httpPort;
    state.ports.odoo_gevent = geventPort;
    writeStackState(state);
    await checkAborted();
    await waitForHttpOk(`${odooUrl}/web/health`, {
      timeoutMs: ODOO_START_TIMEOUT_MS,
      pid: state.pids.odoo,
      what: 'Odoo',
      logFiles: [`${odooLog}.stdout`, odooLog],
    });
    info(`Odoo answered /web/health after ${elapsed(odooStarted)}`);

    info('configuring exposed models and an API key through XML-RPC');
    const apiKey = await configureStack(odooUrl, DB);
    await checkAborted();

    const dbUrl = databaseUrl(target.server, DB);
    const apiBase = `http://127.0.0.1:${sidecarPort}`;
    info(`starting the sidecar on ${apiBase}`);
    const sidecarStarted = performance.now();
    await sidecarBuild;
    state.pids.sidecar = await spawnDetached(process.execPath, ['--enable-source-maps', SIDECAR_ENTRY], {
      cwd: join(repoRoot, 'sidecar'),
      logFile: sidecarLog,
      env: {
        ...process.env,
        DATABASE_URL: dbUrl,
        ODOO_URL: odooUrl,
        ODOO_DB: DB,
        PORT: String(sidecarPort),
        HOST: '127.0.0.1',
        ODOO_POOL_SIZE: '8',
      },
    });
    state.ports.sidecar = sidecarPort;
    writeStackState(state);
    await checkAborted();
    await waitForHttpOk(`${apiBase}/readyz`, {
      timeoutMs: SIDECAR_START_TIMEOUT_MS,
      pid: state.pids.sidecar,
      what: 'the sidecar',
      logFiles: [sidecarLog],
    });
    info(`the sidecar answered /readyz after ${elapsed(sidecarStarted)}`);

    Object.assign(state, {
      status: 'up',
      odoo_url: odooUrl,
      api_url: `${apiBase}/api/v1`,
      db: DB,
      database_url: dbUrl,
      odoo_login: ADMIN_LOGIN,
      odoo_password: ADMIN_PASSWORD,
      api_key: apiKey,
      state_dir: stateDir,
      odoo_log: odooLog,
      sidecar_log: sidecarLog,
    } satisfies Partial<StackState>);
    writeStackState(state);
  } catch (error) {
    if (aborted) {
      await stopping;
      await teardown(state);
      return signalCode;
    }
    process.stderr.write(`[stack] ERROR: stack up failed: ${errorMessage(error)}\n`);
    info('cleaning up what was started');
    await teardown(state);
    return 1;
  }

  process.stdout.write(`${JSON.stringify(publicInfo(state), null, 2)}\n`);
  info(`stack up in ${elapsed(started)}; state in ${stackFile()}`);
  if (!foreground) return 0;

  info('running in the foreground: Ctrl-C stops the stack');
  for (;;) {
    await sleep(1000);
    if (aborted) {
      await stopping; // the signal handler tears down, then exits
      return signalCode;
    }
    const dead = (['odoo', 'sidecar'] as const).find((name) => {
      const pid = state.pids[name];
      return pid !== undefined && !isAlive(pid);
    });
    if (dead) {
      aborted = true;
      const log = dead === 'odoo' ? state.odoo_log : state.sidecar_log;
      process.stderr.write(`[stack] ERROR: ${dead} exited; stopping the stack\n${log ? tailFile(log, 40) : ''}\n`);
      await teardown(state);
      return 1;
    }
  }
}

async function down(): Promise<number> {
  let state: StackState | undefined;
  try {
    state = readStackState();
  } catch (error) {
    process.stderr.write(`[stack] ERROR: ${errorMessage(error)}; remove ${stackFile()} and stop the processes by hand\n`);
    return 1;
  }
  if (!state) {
    info(`no stack is recorded in ${stackFile()}; nothing to stop`);
    return 0;
  }
  // A `stack up` still alive (foreground, or starting) owns the stack: let it tear down itself first.
  if (state.owner_pid !== process.pid && isAlive(state.owner_pid) && cmdlineIncludes(state.owner_pid, 'stack')) {
    info(`asking the running 'stack up' (pid ${state.owner_pid}) to stop`);
    try {
      process.kill(state.owner_pid, 'SIGTERM');
    } catch {
      /* gone */
    }
    for (let i = 0; i < 600 && isAlive(state.owner_pid); i++) await sleep(100);
  }
  await teardown(state);
  info('stack down');
  return 0;
}

async function status(): Promise<number> {
  const state = readStackState();
  if (!state || state.status !== 'up' || !anyAlive(state)) {
    info('no stack is up');
    return 1;
  }
  process.stdout.write(`${JSON.stringify(publicInfo(state), null, 2)}\n`);
  return 0;
}

function usage(): number {
  process.stderr.write('usage: npm run stack -- up [--foreground] | down | status\n');
  return 2;
}

async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'up': {
      const unknown = rest.filter((a) => a !== '--foreground');
      if (unknown.length) return usage();
      return up(rest.includes('--foreground'));
    }
    case 'down':
      return rest.length ? usage() : down();
    case 'status':
      return rest.length ? usage() : status();
    default:
      return usage();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`[stack] ERROR: ${errorMessage(error)}\n`);
    process.exit(1);
  },
);
