// Progress messages: always on stderr, so stdout stays machine-readable.
import { existsSync, readFileSync } from 'node:fs';

let prefix = 'stack';

export function setLogPrefix(name: string): void {
  prefix = name;
}

export function info(message: string): void {
  process.stderr.write(`[${prefix}] ${message}\n`);
}

export function warn(message: string): void {
  process.stderr.write(`[${prefix}] WARNING: ${message}\n`);
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

/** The last `lines` lines of a text file ('' when it does not exist). */
export function tailFile(path: string, lines = 40): string {
  if (!existsSync(path)) return '';
  const text = readFileSync(path, 'utf8');
  const all = text.split('\n');
  if (all.length && all[all.length - 1] === '') all.pop();
  return all.slice(-lines).join('\n');
}

/** Seconds since `start` (a `performance.now()` value), one decimal. */
export function elapsed(start: number): string {
  return `${((performance.now() - start) / 1000).toFixed(1)} s`;
}
