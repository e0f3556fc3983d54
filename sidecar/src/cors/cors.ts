/**
 * CORS (Fetch standard, "CORS protocol"). Origins come from the
 * configuration: the global list (system parameter
 * `rest_gateway.cors_allowed_origins`) and every key's and OAuth client's
 * allowed origins. A configured origin may read responses; only globally
 * listed origins get `Access-Control-Allow-Credentials` (the session cookie).
 * Preflights are answered for every route with the methods that route has.
 */
import type { Middleware, ParameterizedContext } from 'koa';
import { errors } from '../errors.js';
import type { GatewayConfigCache } from '../config/gateway-config-cache.js';
import type { ApiState } from '../http/types.js';
import { normalizeOrigin } from './origins.js';

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

/** Request headers a browser may send (beyond the CORS-safelisted ones). */
export const ALLOWED_HEADERS = [
  'Authorization', 'Content-Type', 'Accept', 'Accept-Language', 'X-Company-Id', 'X-Request-ID', 'Idempotency-Key',
  'If-Match', 'If-None-Match',
];

/** Response headers scripts may read: request id, rate limits (both styles), timing. */
export const EXPOSED_HEADERS = [
  'X-Request-ID', 'X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset', 'RateLimit-Policy', 'RateLimit',
  'Retry-After', 'Server-Timing', 'Content-Language', 'WWW-Authenticate', 'Idempotent-Replayed', 'Location', 'Link',
];

const PREFLIGHT_MAX_AGE = 600;

export interface RouteMatcher {
  match(path: string, method: string): { route: boolean };
}

function allowedMethods(router: RouteMatcher, path: string): string[] {
  return METHODS.filter((method) => router.match(path, method).route);
}

function setOriginHeaders(ctx: ParameterizedContext, origin: string, withCredentials: boolean): void {
  ctx.set('Access-Control-Allow-Origin', origin);
  if (withCredentials) ctx.set('Access-Control-Allow-Credentials', 'true');
}

function answerPreflight(ctx: ParameterizedContext, router: RouteMatcher, origin: string, withCredentials: boolean): void {
  const methods = allowedMethods(router, ctx.path);
  if (!methods.length) throw errors.notFound('not_found', `No route matches ${ctx.path}.`);
  setOriginHeaders(ctx, origin, withCredentials);
  ctx.set('Access-Control-Allow-Methods', [...methods, 'OPTIONS'].join(', '));
  ctx.set('Access-Control-Allow-Headers', ALLOWED_HEADERS.join(', '));
  ctx.set('Access-Control-Max-Age', String(PREFLIGHT_MAX_AGE));
  ctx.status = 204;
}

export function corsMiddleware(config: GatewayConfigCache, router: RouteMatcher): Middleware<ApiState> {
  return async (ctx, next) => {
    const raw = ctx.get('Origin');
    if (!raw) return next();
    ctx.vary('Origin');
    const origin = normalizeOrigin(raw);
    const { configuredOrigins, settings } = config.config;
    const allowed = configuredOrigins.has(origin);
    const withCredentials = settings.corsOrigins.has(origin);
    if (ctx.method === 'OPTIONS' && ctx.get('Access-Control-Request-Method')) {
      if (!allowed) throw errors.forbidden('origin_not_allowed', `The origin ${raw} is not allowed to call this API.`);
      answerPreflight(ctx, router, raw, withCredentials);
      return;
    }
    if (allowed) {
      setOriginHeaders(ctx, raw, withCredentials);
      ctx.set('Access-Control-Expose-Headers', EXPOSED_HEADERS.join(', '));
    }
    await next();
  };
}
