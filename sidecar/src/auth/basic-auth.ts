/**
 * HTTP Basic (RFC 7617): `login:password` checked by Odoo, or `login:<API
 * key>` (the key must run as that login). A verified password is
 * remembered briefly (basic-cache.ts); every request still reads the user,
 * so archiving them or changing the password takes effect at once.
 */
import type { Db } from '../db/knex.js';
import { findActiveUserByLogin, findUserById } from '../db/users.js';
import type { GatewayConfigCache } from '../config/gateway-config-cache.js';
import type { UserRow } from '../db/gateway-config.js';
import type { Principal } from '../policy/types.js';
import { ApiError } from '../errors.js';
import { digestsEqual, parseKeyPrefix } from './api-key-token.js';
import type { BasicVerificationCache } from './basic-cache.js';
import { invalidCredentials } from './challenge.js';
import { keyPrincipal, type RequestFacts } from './key-auth.js';
import type { OdooAuth } from './odoo-auth.js';

export interface BasicCredentials {
  login: string;
  password: string;
}

/** Decodes `Basic <base64(login:password)>`; null when malformed. */
export function parseBasic(encoded: string): BasicCredentials | null {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded)) return null;
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return null;
  return { login: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

export interface BasicDeps {
  db: Db;
  config: GatewayConfigCache;
  cache: BasicVerificationCache;
  odooAuth: OdooAuth;
  /** Runs before Odoo checks a password (not for a cached or key credential): the anonymous rate-limit charge. */
  beforePasswordCheck?: () => Promise<void>;
}

function passwordPrincipal(user: UserRow, deps: BasicDeps): Principal {
  return {
    kind: 'basic',
    credentialId: user.id,
    credentialName: user.login,
    user,
    grants: deps.config.config.userGrants,
    rateLimit: 0,
    scheme: 'basic',
  };
}

/** Odoo verifies; the result is cached only if the user read before is the one verified. */
async function verifyPassword(credentials: BasicCredentials, facts: RequestFacts, deps: BasicDeps, digest: string): Promise<UserRow> {
  const before = await findActiveUserByLogin(deps.db, credentials.login);
  const { uid } = await deps.odooAuth.authenticate(credentials.login, credentials.password, facts.clientAddress);
  if (before && before.user.id === uid) {
    deps.cache.set(digest, { userId: uid, fingerprint: before.fingerprint });
    return before.user;
  }
  const after = await findUserById(deps.db, uid);
  if (!after?.user.active) throw invalidCredentials();
  return after.user;
}

export async function basicPrincipal(credentials: BasicCredentials, facts: RequestFacts, deps: BasicDeps): Promise<Principal> {
  if (parseKeyPrefix(credentials.password)) {
    let principal: Principal;
    try {
      principal = keyPrincipal(deps.config, credentials.password, facts, 'basic');
    } catch (error) {
      // a Basic failure answers with the Basic challenge (RFC 7617), whatever the key's problem
      if (error instanceof ApiError && error.status === 401) throw invalidCredentials(error.detail);
      throw error;
    }
    // the key must run as the login given, or the pair is not a credential
    if (principal.user.login !== credentials.login) throw invalidCredentials();
    return principal;
  }
  const digest = deps.cache.digest(credentials.login, credentials.password);
  const cached = deps.cache.get(digest);
  if (cached) {
    const current = await findUserById(deps.db, cached.userId);
    if (current?.user.active && digestsEqual(current.fingerprint, cached.fingerprint)) return passwordPrincipal(current.user, deps);
    deps.cache.delete(digest);
  }
  await deps.beforePasswordCheck?.();
  const user = await deps.cache.once(digest, () => verifyPassword(credentials, facts, deps, digest));
  return passwordPrincipal(user, deps);
}
