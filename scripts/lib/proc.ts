// Child processes: run to completion, spawn detached with a log file, stop a process group.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync, readdirSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

export interface RunOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Append stdout and stderr to this file instead of capturing them. */
  logFile?: string;
  /** Kill the command (SIGKILL) after this many milliseconds. */
  timeoutMs?: number;
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export class CommandError extends Error {
  constructor(
    message: string,
    readonly result: RunResult,
  ) {
    super(message);
    this.name = 'CommandError';
  }
}

function describe(cmd: string, args: readonly string[]): string {
  return [cmd, ...args].map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : JSON.stringify(a))).join(' ');
}

/** Commands started by `runCommand` that have not exited yet. */
const running = new Set<ChildProcess>();

/**
 * Stop every command `runCommand` is still waiting for (SIGTERM, SIGKILL after
 * `timeoutMs`): used when a script is interrupted half-way.
 */
export async function stopRunningCommands(timeoutMs = 10_000): Promise<void> {
  const children = [...running];
  await Promise.all(
    children.map(async (child) => {
      if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolveExit) => child.once('close', () => resolveExit()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      await exited;
      clearTimeout(timer);
    }),
  );
}

/** Run a command to completion; resolves with its exit code and output (never rejects on a non-zero code). */
export function runCommand(cmd: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolveRun, reject) => {
    let logFd: number | undefined;
    if (options.logFile) logFd = openSync(options.logFile, 'a');
    const child = spawn(cmd, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', logFd ?? 'pipe', logFd ?? 'pipe'],
    });
    if (logFd !== undefined) closeSync(logFd);
    running.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    let timer: NodeJS.Timeout | undefined;
    if (options.timeoutMs) {
      timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
    }
    child.once('error', (error) => {
      running.delete(child);
      if (timer) clearTimeout(timer);
      reject(new Error(`cannot run ${describe(cmd, args)}: ${error.message}`));
    });
    child.once('close', (code, signal) => {
      running.delete(child);
      if (timer) clearTimeout(timer);
      resolveRun({ code: code ?? (signal ? 128 : 1), stdout, stderr });
    });
  });
}

/** Run a command and reject with its output when it exits non-zero. */
export async function mustRun(cmd: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  const result = await runCommand(cmd, args, options);
  if (result.code !== 0) {
    const output = (result.stderr || result.stdout).trim();
    const where = options.logFile ? ` (see ${options.logFile})` : '';
    throw new CommandError(
      `command failed with exit code ${result.code}: ${describe(cmd, args)}${where}${output ? `\n${output}` : ''}`,
      result,
    );
  }
  return result;
}

export interface DetachedOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** stdout and stderr go (appended) to this file. */
  logFile: string;
}

/**
 * Start a long-running process in its own process group (so that it and its
 * children can be stopped together) that outlives this script.
 */
export function spawnDetached(cmd: string, args: readonly string[], options: DetachedOptions): Promise<number> {
  return new Promise((resolveSpawn, reject) => {
    const fd = openSync(options.logFile, 'a');
    const child = spawn(cmd, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', fd, fd],
      detached: true,
    });
    closeSync(fd);
    child.once('error', (error) => reject(new Error(`cannot start ${describe(cmd, args)}: ${error.message}`)));
    child.once('spawn', () => {
      child.unref();
      if (child.pid === undefined) reject(new Error(`no pid for ${describe(cmd, args)}`));
      else resolveSpawn(child.pid);
    });
  });
}

/** Is a process with this pid alive (zombies count as dead)? */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  return !isZombie(pid);
}

/** State, parent pid and process group of a process, from /proc/<pid>/stat. */
function procStat(pid: number): { state: string; ppid: number; pgrp: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // "pid (comm) state ppid pgrp ..."; comm may hold spaces and parentheses.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state: rest[0] ?? '', ppid: Number(rest[1]), pgrp: Number(rest[2]) };
  } catch {
    return undefined;
  }
}

function isZombie(pid: number): boolean {
  const state = procStat(pid)?.state;
  return state === 'Z' || state === 'X';
}

/** Is any live (non-zombie) process left in the group `pgid`? */
export function groupAlive(pgid: number): boolean {
  return processesOfGroup(pgid).length > 0;
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // Not a group leader (or already gone): signal the process itself.
    try {
      process.kill(pgid, signal);
    } catch {
      /* gone */
    }
  }
}

async function waitGone(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!check()) return true;
    await sleep(100);
  }
  return !check();
}

/**
 * Stop a process group started by `spawnDetached`: SIGTERM, then SIGKILL when
 * it is still there after `timeoutMs`. Resolves once nothing of it is left.
 */
export async function stopGroup(pgid: number, timeoutMs = 10_000): Promise<'stopped' | 'killed' | 'absent'> {
  const alive = (): boolean => groupAlive(pgid);
  if (!alive()) return 'absent';
  signalGroup(pgid, 'SIGTERM');
  if (await waitGone(alive, timeoutMs)) return 'stopped';
  signalGroup(pgid, 'SIGKILL');
  await waitGone(alive, 5_000);
  return 'killed';
}

/** Pids of the live (non-zombie) processes whose process group is `pgid`. */
export function processesOfGroup(pgid: number): number[] {
  const pids: number[] = [];
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return pids;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = procStat(Number(entry));
    if (stat && stat.pgrp === pgid && stat.state !== 'Z' && stat.state !== 'X') pids.push(Number(entry));
  }
  return pids;
}

/** Stop a single process (not a group): SIGTERM, then SIGKILL after `timeoutMs`. */
export async function stopProcess(pid: number, timeoutMs = 10_000): Promise<'stopped' | 'killed' | 'absent'> {
  if (!isAlive(pid)) return 'absent';
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return 'absent';
  }
  if (await waitGone(() => isAlive(pid), timeoutMs)) return 'stopped';
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    /* gone */
  }
  await waitGone(() => isAlive(pid), 5_000);
  return 'killed';
}

export { describe as describeCommand };
