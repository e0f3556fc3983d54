/**
 * OAuth client authentication (RFC 6749 §2.3.1): HTTP Basic with the
 * form-urlencoded client id and secret, or `client_id` and `client_secret`
 * body parameters; never both. The secret's digest is compared in constant
 * time, and computed even for an unknown client id.
 */
import type { ParameterizedContext } from 'koa';
import { digestKey, digestsEqual } from '../auth/api-key-token.js';
import { isExpired } from '../auth/network-checks.js';
import type { CompiledClient, CompiledConfig } from '../config/gateway-config-cache.js';
import { normalizeOrigin } from '../cors/origins.js';
import { OAuthError } from './oauth-error.js';

const NO_DIGEST = '0'.repeat(64);

interface ClientCredentials {
  clientId: string;
  secret: string;
}

/** §2.3.1: the id and secret are form-urlencoded before Basic encoding. */
function fromBasic(header: string): ClientCredentials {
  const match = /^Basic[ ]+([A-Za-z0-9+/]+={0,2})\s*$/i.exec(header);
  const decoded = match ? Buffer.from(match[1] as string, 'base64').toString('utf8') : '';
  const colon = decoded.indexOf(':');
  if (colon <= 0) throw new OAuthError('invalid_client', 'Malformed Basic client credentials.');
  try {
    const decode = (s: string) => decodeURIComponent(s.replace(/\+/g, ' '));
    return { clientId: decode(decoded.slice(0, colon)), secret: decode(decoded.slice(colon + 1)) };
  } catch {
    throw new OAuthError('invalid_client', 'Malformed Basic client credentials.');
  }
}

function readCredentials(ctx: ParameterizedContext, params: Map<string, string>): ClientCredentials {
  const header = ctx.get('Authorization');
  const inBody = params.has('client_id') || params.has('client_secret');
  if (header && inBody) throw new OAuthError('invalid_request', 'Authenticate the client one way only: Basic or body parameters.');
  if (header) return fromBasic(header);
  const clientId = params.get('client_id');
  const secret = params.get('client_secret');
  if (!clientId || !secret) throw new OAuthError('invalid_client', 'Client authentication is required.');
  return { clientId, secret };
}

export interface ClientFacts {
  clientAddress: string;
  origin: string;
}

/** The authenticated, live client allowed from this address and origin. */
export function authenticateClient(ctx: ParameterizedContext, params: Map<string, string>, config: CompiledConfig, facts: ClientFacts): CompiledClient {
  const { clientId, secret } = readCredentials(ctx, params);
  const client = config.clientsByClientId.get(clientId);
  const matches = digestsEqual(digestKey(secret), client?.row.secretDigest ?? NO_DIGEST);
  if (!client || !matches) throw new OAuthError('invalid_client', 'Client authentication failed.');
  if (isExpired(client.row.expiresAt)) throw new OAuthError('invalid_client', 'The client has expired.');
  if (!client.user?.active) throw new OAuthError('invalid_client', "The client's user is inactive.");
  if (!client.allowedAddresses.empty && !client.allowedAddresses.matches(facts.clientAddress)) {
    throw new OAuthError('unauthorized_client', 'This client may not be used from this address.');
  }
  if (facts.origin && client.allowedOrigins.size > 0 && !client.allowedOrigins.has(normalizeOrigin(facts.origin))) {
    throw new OAuthError('unauthorized_client', 'This client may not be used from this origin.');
  }
  return client;
}
