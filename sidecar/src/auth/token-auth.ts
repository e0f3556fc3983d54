/**
 * Sessions and OAuth access tokens sent as Bearer (or the session cookie):
 * the row is read on every request through its unique prefix, so a revoked
 * token, a revoked client or an archived user stops the very next request
 * in every sidecar. Constant-time digest comparison, as for keys.
 */
import { findToken, type TokenRecord } from '../db/tokens.js';
import type { Db } from '../db/knex.js';
import type { CompiledConfig } from '../config/gateway-config-cache.js';
import type { CredentialScheme, Principal } from '../policy/types.js';
import { digestKey, digestsEqual } from './api-key-token.js';
import { invalidBearer } from './challenge.js';
import type { RequestFacts } from './key-auth.js';
import { checkCredentialNetwork, isExpired } from './network-checks.js';
import { narrowGrants, parseScope } from './oauth-scope.js';
import { parseIssuedToken } from './token-format.js';

// Compared with when no row matched, so timing does not tell which prefixes exist.
const NO_DIGEST = '0'.repeat(64);

/** The live token row for `token`, or a 401. */
export async function verifyIssuedToken(db: Db, token: string): Promise<TokenRecord> {
  const parsed = parseIssuedToken(token);
  const row = parsed ? await findToken(db, parsed.prefix) : null;
  const digest = digestKey(token);
  const matches = digestsEqual(digest, row?.digest ?? NO_DIGEST);
  if (!parsed || !row || !matches || row.kind !== parsed.kind) throw invalidBearer('The token is invalid.');
  if (row.revokedAt) throw invalidBearer('The token has been revoked.');
  if (isExpired(row.expiresAt)) throw invalidBearer('The token has expired.');
  if (!row.user.active) throw invalidBearer("The token's user is inactive.");
  return row;
}

export async function tokenPrincipal(db: Db, config: CompiledConfig, token: string, facts: RequestFacts, scheme: CredentialScheme): Promise<Principal> {
  const row = await verifyIssuedToken(db, token);
  if (row.kind === 'session') {
    return {
      kind: 'session',
      credentialId: row.id,
      credentialName: `session of ${row.user.login}`,
      user: row.user,
      grants: config.userGrants,
      rateLimit: 0,
      scheme,
      tokenId: row.id,
    };
  }
  const client = row.clientId === null ? undefined : config.clientsById.get(row.clientId);
  // an archived, revoked or secretless client is absent from the configuration
  if (!client || isExpired(client.row.expiresAt)) throw invalidBearer("The token's client is no longer valid.");
  checkCredentialNetwork(client, facts.clientAddress, facts.origin, 'OAuth client');
  return {
    kind: 'oauth',
    credentialId: client.row.id,
    credentialName: client.row.name,
    user: row.user,
    grants: narrowGrants(client.grants, parseScope(row.scope ?? '') ?? []),
    rateLimit: client.row.rateLimit,
    scheme,
    tokenId: row.id,
  };
}
