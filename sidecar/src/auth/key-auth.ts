/**
 * API keys (Bearer, or the password of Basic): digest lookup by the key's
 * prefix in the configuration cache, constant-time comparison, then
 * expiry, user, address and origin checks (docs/decisions.md D7).
 */
import type { GatewayConfigCache } from '../config/gateway-config-cache.js';
import type { CredentialScheme, Principal } from '../policy/types.js';
import { digestKey, digestsEqual, parseKeyPrefix } from './api-key-token.js';
import { invalidBearer } from './challenge.js';
import { checkCredentialNetwork, isExpired } from './network-checks.js';

export interface RequestFacts {
  clientAddress: string;
  origin: string;
}

export function keyPrincipal(config: GatewayConfigCache, token: string, facts: RequestFacts, scheme: CredentialScheme): Principal {
  const prefix = parseKeyPrefix(token);
  const key = prefix ? config.config.keysByPrefix.get(prefix) : undefined;
  // Hash even when the prefix is unknown, so timing does not tell which keys exist.
  const digest = digestKey(token);
  if (!key || !digestsEqual(digest, key.row.digest)) throw invalidBearer(prefix ? 'The API key is invalid.' : 'The API key or token is invalid.');
  if (isExpired(key.row.expiresAt)) throw invalidBearer('The API key has expired.');
  if (!key.user?.active) throw invalidBearer("The API key's user is inactive.");
  checkCredentialNetwork(key, facts.clientAddress, facts.origin, 'API key');
  return {
    kind: 'api_key',
    credentialId: key.row.id,
    credentialName: key.row.name,
    user: key.user,
    grants: key.grants,
    rateLimit: key.row.rateLimit,
    scheme,
  };
}
