/**
 * Per-credential network rules shared by API keys and OAuth clients (and
 * their tokens): allowed client addresses (IPs, CIDRs) and allowed browser
 * origins. Empty lists allow any.
 */
import { errors } from '../errors.js';
import type { CompiledCredential } from '../config/gateway-config-cache.js';
import { normalizeOrigin } from '../cors/origins.js';

export function checkCredentialNetwork(credential: CompiledCredential, clientAddress: string, origin: string, what: string): void {
  if (!credential.allowedAddresses.empty && !credential.allowedAddresses.matches(clientAddress)) {
    throw errors.forbidden('ip_not_allowed', `This ${what} may not be used from this address.`);
  }
  if (origin && credential.allowedOrigins.size > 0 && !credential.allowedOrigins.has(normalizeOrigin(origin))) {
    throw errors.forbidden('origin_not_allowed', `This ${what} may not be used from this origin.`);
  }
}

export function isExpired(expiresAt: Date | null, now = Date.now()): boolean {
  return expiresAt !== null && expiresAt.getTime() <= now;
}
