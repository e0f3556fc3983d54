/**
 * Cross-site request forgery guard for the session cookie: a browser sends
 * the cookie by itself, so a request authenticated by it that may change
 * data must carry an `Origin` (RFC 6454) that is the API's own or one of the
 * globally allowed CORS origins. Bearer and Basic credentials are never sent
 * implicitly and need no such check.
 */
import type { ParameterizedContext } from 'koa';
import { errors } from '../errors.js';
import { normalizeOrigin } from '../cors/origins.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function checkCookieOrigin(ctx: ParameterizedContext, allowed: ReadonlySet<string>): void {
  if (SAFE_METHODS.has(ctx.method)) return;
  const origin = normalizeOrigin(ctx.get('Origin'));
  // the API's own origin (Koa 3's ctx.origin is the request's Origin header, not this)
  const own = normalizeOrigin(`${ctx.protocol}://${ctx.host}`);
  if (origin && (origin === own || allowed.has(origin))) return;
  throw errors.forbidden(
    'origin_not_allowed',
    'A request authenticated by the session cookie that changes data must come from an allowed origin; or send the token as "Authorization: Bearer".',
  );
}
