/**
 * The authentication middleware: every way in ends in one Principal
 * (policy/types.ts). `Authorization: Bearer` carries an API key, a session
 * token or an OAuth access token; `Authorization: Basic` a login with a
 * password or an API key; without an Authorization header, the session
 * cookie. Sets ctx.state.principal and records the credential's use.
 * A credential that fails costs the client address one anonymous request
 * (429 past that limit instead of 401), and so does a Basic password before
 * Odoo checks it (D-S1).
 */
import type { Middleware } from 'koa';
import { ApiError } from '../errors.js';
import type { ApiState, Services } from '../http/types.js';
import type { Principal } from '../policy/types.js';
import { basicPrincipal, parseBasic } from './basic-auth.js';
import { invalidBearer, invalidCredentials, malformedAuthorization, missingCredentials } from './challenge.js';
import { checkCookieOrigin } from './cookie-origin.js';
import { keyPrincipal, type RequestFacts } from './key-auth.js';
import { readSessionCookie } from './session-cookie.js';
import { tokenPrincipal } from './token-auth.js';
import { parseIssuedToken } from './token-format.js';

type Ctx = Parameters<Middleware<ApiState>>[0];

function bearerPrincipal(services: Services, token: string, facts: RequestFacts): Principal | Promise<Principal> {
  if (parseIssuedToken(token)) return tokenPrincipal(services.db, services.config.config, token, facts, 'bearer');
  return keyPrincipal(services.config, token, facts, 'bearer');
}

async function cookiePrincipal(ctx: Ctx, services: Services, token: string, facts: RequestFacts): Promise<Principal> {
  if (parseIssuedToken(token)?.kind !== 'session') throw invalidBearer('The session cookie is invalid.');
  checkCookieOrigin(ctx, services.config.config.settings.corsOrigins);
  return tokenPrincipal(services.db, services.config.config, token, facts, 'cookie');
}

export async function resolvePrincipal(ctx: Ctx, services: Services): Promise<Principal> {
  const facts: RequestFacts = { clientAddress: ctx.state.clientAddress, origin: ctx.get('Origin') };
  const header = ctx.get('Authorization');
  if (!header) {
    const cookie = readSessionCookie(ctx);
    if (!cookie) throw missingCredentials();
    return cookiePrincipal(ctx, services, cookie, facts);
  }
  const bearer = /^Bearer[ ]+(\S+)\s*$/i.exec(header);
  if (bearer) return bearerPrincipal(services, bearer[1] as string, facts);
  const basic = /^Basic[ ]+(\S+)\s*$/i.exec(header);
  if (basic) {
    const credentials = parseBasic(basic[1] as string);
    if (!credentials) throw invalidCredentials('The Basic credentials are malformed (RFC 7617: base64 of "login:password").');
    return basicPrincipal(credentials, facts, {
      db: services.db,
      config: services.config,
      cache: services.auth.basicCache,
      odooAuth: services.auth.odooAuth,
      beforePasswordCheck: async () => ctx.state.chargeAnonymous?.(),
    });
  }
  throw malformedAuthorization('The Authorization header must be "Bearer <API key or token>" or "Basic <credentials>".');
}

export function authenticate(services: Services): Middleware<ApiState> {
  return async (ctx, next) => {
    let principal: Principal;
    try {
      principal = await resolvePrincipal(ctx, services);
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) await ctx.state.chargeAnonymous?.();
      throw error;
    }
    ctx.state.principal = principal;
    services.auth.usage.recordPrincipal(principal);
    await next();
  };
}
