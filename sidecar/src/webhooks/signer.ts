/**
 * Standard Webhooks signatures (https://www.standardwebhooks.com/, "Signature
 * scheme"): `v1,<base64 HMAC-SHA256 of "<msg id>.<timestamp>.<body>">` keyed
 * with the base64-decoded part of a `whsec_` secret; several signatures are
 * space-separated (a secret rotation's grace period sends both).
 */
import { createHmac } from 'node:crypto';

const SECRET_PREFIX = 'whsec_';

/** The HMAC key of a `whsec_<base64>` secret (a secret without the prefix is taken as base64 too). */
export function secretKey(secret: string): Buffer {
  const encoded = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  return Buffer.from(encoded, 'base64');
}

/** One `v1,<signature>` for one secret. */
export function signWith(secret: string, messageId: string, timestamp: number, body: string): string {
  const mac = createHmac('sha256', secretKey(secret)).update(`${messageId}.${timestamp}.${body}`).digest('base64');
  return `v1,${mac}`;
}

/** The `webhook-signature` header value: one signature per secret, in the order given. */
export function signatureHeader(secrets: readonly string[], messageId: string, timestamp: number, body: string): string {
  return secrets.map((secret) => signWith(secret, messageId, timestamp, body)).join(' ');
}

export interface SigningSecrets {
  secret: string;
  previousSecret: string | null;
  previousSecretExpiresAt: Date | null;
}

/** The secrets that sign now: the current one, and the previous one while its grace period lasts. */
export function activeSecrets(secrets: SigningSecrets, now: Date): string[] {
  const active = [secrets.secret];
  if (secrets.previousSecret && secrets.previousSecretExpiresAt && secrets.previousSecretExpiresAt.getTime() > now.getTime()) {
    active.push(secrets.previousSecret);
  }
  return active;
}
