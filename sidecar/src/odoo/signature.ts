/**
 * HMAC-SHA256 signature of a bridge request (docs/bridge-protocol.md, scheme
 * v2): it covers the method, the route's path, the database, the timestamp,
 * a fresh nonce and the body, so a captured request cannot be replayed, nor
 * sent to another route or database.
 */
import { createHmac, randomBytes } from 'node:crypto';

export const TIMESTAMP_HEADER = 'x-rest-gateway-timestamp';
export const NONCE_HEADER = 'x-rest-gateway-nonce';
export const SIGNATURE_HEADER = 'x-rest-gateway-signature';

export interface BridgeRequestToSign {
  method: string;
  /** The bridge route's path as Odoo routes it (`/rest_gateway/bridge`, …), without ODOO_URL's base path. */
  path: string;
  database: string;
  body: string;
  /** Unix seconds. */
  timestamp: number;
  /** Defaults to 16 random bytes (URL-safe base64); one per request, never reused. */
  nonce?: string;
}

/** One line each for the method, path, database, timestamp and nonce, then the body. */
export function bridgeSignature(secret: string, request: Required<BridgeRequestToSign>): string {
  const head = [request.method, request.path, request.database, String(Math.floor(request.timestamp)), request.nonce].join('\n');
  return createHmac('sha256', secret).update(`${head}\n`).update(request.body).digest('hex');
}

export function signBridgeRequest(secret: string, request: BridgeRequestToSign): Record<string, string> {
  const signed = { ...request, timestamp: Math.floor(request.timestamp), nonce: request.nonce ?? randomBytes(16).toString('base64url') };
  return {
    [TIMESTAMP_HEADER]: String(signed.timestamp),
    [NONCE_HEADER]: signed.nonce,
    [SIGNATURE_HEADER]: `v2=${bridgeSignature(secret, signed)}`,
  };
}
