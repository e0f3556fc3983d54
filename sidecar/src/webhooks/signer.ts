/**
 * Standard Webhooks signatures (https://www.standardwebhooks.com/, "Signature
 * scheme"), made by the scheme's own `standardwebhooks` package (the one
 * receivers verify with): `v1,<base64 HMAC-SHA256 of "<msg id>.<timestamp>.<body>">`
 * keyed with the base64-decoded part of a `whsec_` secret; several
 * signatures are space-separated (a secret rotation's grace period sends both).
 */
import { Webhook } from 'standardwebhooks';

/** One `v1,<signature>` for one secret; `timestamp` in Unix seconds. */
export function signWith(secret: string, messageId: string, timestamp: number, body: string): string {
  return new Webhook(secret).sign(messageId, new Date(timestamp * 1000), body);
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
