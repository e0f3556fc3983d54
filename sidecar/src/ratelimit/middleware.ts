/**
 * Rate limiting (D-L1, D-S1). A request that does not authenticate counts
 * against its client address ("anonymous") before any work is done for it:
 * - `rateLimitHeadersMiddleware`, early (after the client address): gives
 *   the request `ctx.state.chargeAnonymous`, charges at once a request that
 *   carries no credential, charges afterwards one that never got a decision
 *   (no route matched), and sets the headers on every answer, errors
 *   included. Health checks are exempt (probes must not be throttled).
 * - `anonymousRateLimitMiddleware`: first on every route that does not
 *   authenticate (log in, password reset, OAuth token), whatever
 *   Authorization header the request carries.
 * - auth/authenticate.ts charges a credential that fails, and a Basic
 *   password before Odoo checks it (the check is costly and guessable).
 * - `rateLimitPrincipalMiddleware`, right after authentication: counts the
 *   request against its credential (API key, OAuth client, session, Basic
 *   user) with the credential's limit, or the global default when it is 0.
 * With the `off` backend nothing is counted and no header is sent.
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
    // once per request: a request already decided (charged, or counted against its credential) is not charged again
    ctx.state.chargeAnonymous = async () => {
      if (ctx.state.rateLimit) return;
      const decision = await anonymous();
      ctx.state.rateLimit = decision;
      if (!decision.allowed) throw rateLimited(decision);
    };
    try {
      if (!ctx.get('Authorization') && !readSessionCookie(ctx)) await ctx.state.chargeAnonymous();
      await next();
    } finally {
      // a request no route took still costs its address one request
      ctx.state.rateLimit ??= await anonymous();
      for (const [name, value] of Object.entries(rateLimitHeaders(ctx.state.rateLimit))) ctx.set(name, value);
    }
  };
}

/** First on the routes that do not authenticate: they count as anonymous, credential or not. */
export function anonymousRateLimitMiddleware(): Middleware<ApiState> {
  return async (ctx, next) => {
    await ctx.state.chargeAnonymous?.();
    await next();
  };
}

export function rateLimitPrincipalMiddleware(limiter: RateLimiter, config: GatewayConfigCache): Middleware<ApiState> {
  return async (ctx, next) => {
    const principal = ctx.state.principal;
    const settings = config.config.settings;
    const backend = settings.rateLimitBackend;
    // counted even when a Basic password was charged to the address before its check
    if (principal && backend !== 'off') {
      const limit = principal.rateLimit > 0 ? principal.rateLimit : settings.rateLimitDefault;
      const decision = await limiter.consume(`${principal.kind}:${principal.credentialId}`, limit, backend);
      ctx.state.rateLimit = decision;
      if (!decision.allowed) throw rateLimited(decision);
    }
    await next();
  };
}
