/**
 * Another sidecar process for the tests that need one of their own
 * (shutdown, crashes, several replicas on one database): the built server
 * (sidecar/dist/server.js) on a free local port with the stack's database
 * and Odoo, settings overridden per test, its output collected, waited for
 * until it answers, and stopped with a signal.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { stack } from './stack.js';

const ENTRY = join(import.meta.dirname, '..', '..', '..', 'dist', 'server.js');
const STARTUP_TIMEOUT_MS = 15_000;

/** A local port nobody listens on (at the time of asking). */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  return port;
}

export interface SidecarOptions {
  /** Settings over the stack's; `undefined` removes one. */
  env?: Record<string, string | undefined>;
  /** The path answering 200 once the process is usable, or false not to wait (a process expected to fail). */
  waitFor?: '/readyz' | '/healthz' | false;
}

export interface SidecarProcess {
  readonly child: ChildProcess;
  /** http://127.0.0.1:<port> */
  readonly origin: string;
  /** Resolves with the exit code (null after a signal) once the process has exited. */
  readonly exited: Promise<number | null>;
  /** What the process wrote to stdout and stderr so far. */
  output(): string;
  /** Sends `signal` (unless the process has exited) and answers the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

const started: SidecarProcess[] = [];

/**
 * Starts a sidecar on the stack's database and Odoo, on a free port, and
 * waits until `waitFor` answers 200 (failing with the process's output if it
 * exits or does not answer within 15 s).
 */
export async function startSidecar(options: SidecarOptions = {}): Promise<SidecarProcess> {
  const port = await freePort();
  const settings: Record<string, string | undefined> = {
    PATH: process.env.PATH ?? '',
    DATABASE_URL: stack.database_url,
    ODOO_URL: stack.odoo_url,
    ODOO_DB: stack.db,
    PORT: String(port),
    HOST: '127.0.0.1',
    ...options.env,
  };
  const env = Object.fromEntries(Object.entries(settings).filter((entry): entry is [string, string] => entry[1] !== undefined));
  const child = spawn(process.execPath, [ENTRY], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const collect = (chunk: Buffer): void => {
    output += chunk.toString();
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  child.on('error', (error) => collect(Buffer.from(`${error.message}\n`)));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const hasExited = (): boolean => child.exitCode !== null || child.signalCode !== null;
  const sidecar: SidecarProcess = {
    child,
    origin: `http://127.0.0.1:${port}`,
    exited,
    output: () => output,
    stop: async (signal = 'SIGTERM') => {
      if (!hasExited()) child.kill(signal);
      return exited;
    },
  };
  started.push(sidecar);
  const waitFor = options.waitFor ?? '/readyz';
  if (waitFor) {
    const deadline = Date.now() + STARTUP_TIMEOUT_MS;
    for (;;) {
      const up = await fetch(`${sidecar.origin}${waitFor}`).then((r) => r.ok, () => false);
      if (up) break;
      if (hasExited()) throw new Error(`the sidecar exited while starting:\n${output}`);
      if (Date.now() > deadline) throw new Error(`the sidecar did not answer ${waitFor} within ${STARTUP_TIMEOUT_MS} ms:\n${output}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return sidecar;
}

/** Stops with SIGTERM every sidecar started here that is still running: for an `after` hook. */
export async function stopSidecars(): Promise<void> {
  await Promise.all(started.splice(0).map((sidecar) => sidecar.stop()));
}
