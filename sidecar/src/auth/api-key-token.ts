/** API key plaintext format (docs/data-model.md) and its digest. */
import { createHash, timingSafeEqual } from 'node:crypto';

const KEY_FORMAT = /^rgw_([a-z0-9]{10})_([A-Za-z0-9_-]{43})$/;

/** The visible prefix of a well-formed key, or null. */
export function parseKeyPrefix(token: string): string | null {
  return KEY_FORMAT.exec(token)?.[1] ?? null;
}

export function digestKey(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Constant-time comparison of two hex digests. */
export function digestsEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}
