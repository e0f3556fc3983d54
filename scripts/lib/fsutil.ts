// File-system helpers for the throwaway folders.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mustRun } from './proc.js';

/**
 * A new folder under the system temp dir, readable and traversable by other
 * users (the PostgreSQL server runs as `postgres` in a subfolder of it).
 */
export function makeStateDir(prefix: string): string {
  const dir = mkdtempSync(join(process.env['STACK_TMPDIR'] || tmpdir(), `${prefix}-`));
  chmodSync(dir, 0o755);
  return dir;
}

/** Copy a tree keeping owners and modes (`cp -a`). */
export async function copyTree(from: string, to: string): Promise<void> {
  await mustRun('cp', ['-a', '--reflink=auto', from, to]);
}

export function removeTree(path: string): void {
  rmSync(path, { recursive: true, force: true, maxRetries: 3 });
}
