/**
 * Plaintext formats of the secrets the sidecar issues or checks, besides API
 * keys (api-key-token.ts): sessions `rgwst_<prefix>_<secret>`, OAuth access
 * tokens `rgwat_<prefix>_<secret>`, OAuth client secrets
 * `rgwcs_<prefix>_<secret>`. The prefix finds the row; only the SHA-256 of
 * the whole plaintext is stored (docs/data-model.md, "Plaintext format").
 */
import { randomBytes, randomInt } from 'node:crypto';
import type { TokenKind } from '../db/tokens.js';
import { digestKey } from './api-key-token.js';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
const TOKEN_PREFIX_LENGTH = 12;
const TAG_BY_KIND: Record<TokenKind, string> = { session: 'rgwst', oauth: 'rgwat' };
const ISSUED_FORMAT = /^(rgwst|rgwat)_([a-z0-9]{12})_([A-Za-z0-9_-]{43})$/;
const CLIENT_SECRET_FORMAT = /^rgwcs_[a-z0-9]{10}_[A-Za-z0-9_-]{43}$/;

export interface IssuedToken {
  plaintext: string;
  prefix: string;
  digest: string;
}

function randomPrefix(length: number): string {
  let out = '';
  for (let i = 0; i < length; i += 1) out += ALPHABET[randomInt(ALPHABET.length)];
  return out;
}

/** A new session or access token: 32 random bytes, URL-safe base64 (43 characters). */
export function newIssuedToken(kind: TokenKind): IssuedToken {
  const prefix = randomPrefix(TOKEN_PREFIX_LENGTH);
  const plaintext = `${TAG_BY_KIND[kind]}_${prefix}_${randomBytes(32).toString('base64url')}`;
  return { plaintext, prefix, digest: digestKey(plaintext) };
}

/** The kind and prefix of a well-formed session or access token, or null. */
export function parseIssuedToken(token: string): { kind: TokenKind; prefix: string } | null {
  const match = ISSUED_FORMAT.exec(token);
  if (!match) return null;
  return { kind: match[1] === 'rgwst' ? 'session' : 'oauth', prefix: match[2] as string };
}

export function isClientSecretFormat(secret: string): boolean {
  return CLIENT_SECRET_FORMAT.test(secret);
}
