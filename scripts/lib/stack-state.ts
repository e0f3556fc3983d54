// `<STACK_DIR>/stack.json`: what a running stack is made of, read by `down` and the integration tests.
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stackDir } from './paths.js';

/** What `stack up` prints on stdout (and the integration tests read). */
export interface StackInfo {
  odoo_url: string;
  api_url: string;
  db: string;
  database_url: string;
  odoo_login: string;
  odoo_password: string;
  api_key: string;
  state_dir: string;
  odoo_log: string;
  sidecar_log: string;
}

/** stack.json: the public part plus what is needed to take the stack down. */
export interface StackState extends Partial<StackInfo> {
  status: 'starting' | 'up';
  /** The `stack up` process (alive while in --foreground, or while starting). */
  owner_pid: number;
  foreground: boolean;
  started_at: string;
  state_dir: string;
  temp_dirs: string[];
  pids: { postgres?: number; odoo?: number; sidecar?: number };
  ports: { postgres?: number; odoo?: number; odoo_gevent?: number; sidecar?: number };
}

export const PUBLIC_KEYS: readonly (keyof StackInfo)[] = [
  'odoo_url',
  'api_url',
  'db',
  'database_url',
  'odoo_login',
  'odoo_password',
  'api_key',
  'state_dir',
  'odoo_log',
  'sidecar_log',
];

export function stackFile(): string {
  return join(stackDir(), 'stack.json');
}

export function writeStackState(state: StackState): void {
  const file = stackFile();
  mkdirSync(stackDir(), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  renameSync(tmp, file);
}

function isStackState(value: unknown): value is StackState {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    (v['status'] === 'starting' || v['status'] === 'up') &&
    typeof v['state_dir'] === 'string' &&
    Array.isArray(v['temp_dirs']) &&
    typeof v['pids'] === 'object' &&
    v['pids'] !== null
  );
}

/** The recorded stack, `undefined` when there is none; throws when the file is unreadable. */
export function readStackState(): StackState | undefined {
  const file = stackFile();
  if (!existsSync(file)) return undefined;
  const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
  if (!isStackState(parsed)) throw new Error(`${file} is not a stack state file`);
  return parsed;
}

export function removeStackState(): void {
  rmSync(stackFile(), { force: true });
}

/** The public part, in a fixed key order. */
export function publicInfo(state: StackState): StackInfo {
  const out: Record<string, string> = {};
  for (const key of PUBLIC_KEYS) {
    const value = state[key];
    if (typeof value !== 'string') throw new Error(`stack state lacks ${key}`);
    out[key] = value;
  }
  return out as unknown as StackInfo;
}
