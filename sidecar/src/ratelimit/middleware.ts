/**
 * Rate limiting, in two places of the chain (D-L1):
 * - `rateLimitHeadersMiddleware`, early (after the client address): counts
 *   a request without any credential against its address before it runs,
 *   counts one whose credential failed (401) afterwards, and sets the
 *   headers on every answer, errors included, from ctx.state.rateLimit.
 *   Health checks are exempt (probes must not be throttled).
 * With the `off` backend both pass every request through: no count, no headers.
 * - `rateLimitPrincipalMiddleware`, right after authentication: counts the
 *   request against its credential (API key, OAuth client, session, Basic
 *   user) with the credential's limit, or the global default when it is 0.
 */
import type { Middleware } from 'koa';
import { ApiError } from '../errors.js';
import type { GatewayConfigCache } from '../config/gateway-config-cache.js';
import type { ApiState } from '../http/types.js';
import { readSessionCookie } from '../auth/session-cookie.js';
import type { RateLimitDecision } from './fixed-window.js';
import { limitedHeaders, rateLimitHeaders } from './headers.js';
import type { RateLimiter } from './limiter.js';

const EXEMPT_PATHS: ReadonlySet<string> = new Set(['/healthz', '/readyz']);

function rateLimited(decision: RateLimitDecision): ApiError {
  return new ApiError(429, 'rate_limited', `Too many requests: the limit is ${decision.limit} per minute. Retry after ${decision.resetIn} s.`, {
    headers: limitedHeaders(decision),
  });
}

export function rateLimitHeadersMiddleware(limiter: RateLimiter, config: GatewayConfigCache): Middleware<ApiState> {
  return async (ctx, next) => {
    const settings = config.config.settings;
    const backend = settings.rateLimitBackend;
    if (EXEMPT_PATHS.has(ctx.path) || backend === 'off') return next();
    const anonymous = () => limiter.consume(`ip:${ctx.state.clientAddress}`, settings.rateLimitAnonymous, backend);
    try {
      if (!ctx.get('Authorization') && !readSessionCookie(ctx)) {
        const decision = await anonymous();
        ctx.state.rateLimit = decision;
        if (!decision.allowed) throw rateLimited(decision);
      }
      await next();
    } finally {
      // a credential that failed (or a route that never authenticated) still costs its address one request
      ctx.state.rateLimit ??= await anonymous();
      for (const [name, value] of Object.entries(rateLimitHeaders(ctx.state.rateLimit))) ctx.set(name, value);
    }
  };
}

export function rateLimitPrincipalMiddleware(limiter: RateLimiter, config: GatewayConfigCache): Middleware<ApiState> {
  return async (ctx, next) => {
    const principal = ctx.state.principal;
    const settings = config.config.settings;
    const backend = settings.rateLimitBackend;
    if (principal && ctx.state.rateLimit === undefined && backend !== 'off') {
      const limit = principal.rateLimit > 0 ? principal.rateLimit : settings.rateLimitDefault;
      const decision = await limiter.consume(`${principal.kind}:${principal.credentialId}`, limit, backend);
      ctx.state.rateLimit = decision;
      if (!decision.allowed) throw rateLimited(decision);
    }
    await next();
  };
}
