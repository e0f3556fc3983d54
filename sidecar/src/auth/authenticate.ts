/**
 * Bearer API key authentication: digest lookup by the key's prefix,
 * constant-time comparison, then active, expiry, user, address and origin
 * checks. Sets ctx.state.principal.
 */
import type { Middleware } from 'koa';
import { errors } from '../errors.js';
import type { GatewayConfigCache } from '../config/gateway-config-cache.js';
import type { ApiState } from '../http/types.js';
import { digestKey, digestsEqual, parseKeyPrefix } from './api-key-token.js';

const CHALLENGE = 'Bearer realm="api"';

function invalidToken(detail: string) {
  return errors.unauthorized('invalid_token', detail, {
    headers: { 'WWW-Authenticate': `${CHALLENGE}, error="invalid_token", error_description="${detail.replace(/"/g, "'")}"` },
  });
}

export function authenticate(config: GatewayConfigCache): Middleware<ApiState> {
  return async (ctx, next) => {
    const header = ctx.get('Authorization');
    if (!header) {
      throw errors.unauthorized('unauthorized', 'Authentication is required: send "Authorization: Bearer <API key>".', {
        headers: { 'WWW-Authenticate': CHALLENGE },
      });
    }
    const match = /^Bearer[ ]+(\S+)\s*$/i.exec(header);
    if (!match) {
      throw errors.unauthorized('invalid_token', 'The Authorization header must be "Bearer <API key>".', {
        headers: { 'WWW-Authenticate': `${CHALLENGE}, error="invalid_request"` },
      });
    }
    const token = match[1] as string;
    const prefix = parseKeyPrefix(token);
    const key = prefix ? config.config.keysByPrefix.get(prefix) : undefined;
    // Hash even when the prefix is unknown, so timing does not tell which keys exist.
    const digest = digestKey(token);
    if (!key || !digestsEqual(digest, key.row.digest)) throw invalidToken('The API key is invalid.');
    if (key.row.expiresAt && key.row.expiresAt.getTime() <= Date.now()) throw invalidToken('The API key has expired.');
    if (!key.user?.active) throw invalidToken('The API key\'s user is inactive.');
    if (!key.allowedAddresses.empty && !key.allowedAddresses.matches(ctx.state.clientAddress)) {
      throw errors.forbidden('ip_not_allowed', 'This API key may not be used from this address.');
    }
    const origin = ctx.get('Origin');
    if (origin && key.allowedOrigins.size > 0 && !key.allowedOrigins.has(origin.replace(/\/+$/, '').toLowerCase())) {
      throw errors.forbidden('origin_not_allowed', 'This API key may not be used from this origin.');
    }
    ctx.state.principal = {
      kind: 'api_key',
      credentialId: key.row.id,
      credentialName: key.row.name,
      user: key.user,
      grants: key.grants,
      rateLimit: key.row.rateLimit,
    };
    await next();
  };
}
