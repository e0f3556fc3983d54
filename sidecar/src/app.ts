/**
 * Builds the Koa application. The middleware order is set here and only
 * here: request id → request log (sees the final answer, problems
 * included) → problem rendering → CORS → client address → rate-limit
 * headers (and the per-address limit) → unserved methods → body → text
 * checks (path, query, Basic credentials, body) → routes (each
 * authenticated route authenticates, then counts against its credential's
 * limit).
 */
import Koa from 'koa';
import { authenticate } from './auth/authenticate.js';
import { clientAddressMiddleware } from './auth/client-address.js';
import { corsMiddleware } from './cors/cors.js';
import { jsonBodyParser } from './http/body-parser.js';
import { edgeTextMiddleware } from './http/edge-text.js';
import { methodGuard } from './http/method-guard.js';
import { odooContextMiddleware } from './http/odoo-context.js';
import { idempotencyMiddleware } from './http/idempotency.js';
import type { ApiState, Services } from './http/types.js';
import { problemResponder } from './observability/problem-responder.js';
import { requestIdMiddleware } from './observability/request-id.js';
import { defaultRateLimiter, type RateLimiter } from './ratelimit/limiter.js';
import { anonymousRateLimitMiddleware, rateLimitHeadersMiddleware, rateLimitPrincipalMiddleware } from './ratelimit/middleware.js';
import { requestLogMiddleware } from './requestlog/middleware.js';
import { buildRouter } from './routes/index.js';

/** `limiter`: passed by the server, which writes its pending counts at shutdown. */
export function createApp(services: Services, limiter: RateLimiter = defaultRateLimiter(services.db, services.log)): Koa<ApiState> {
  const app = new Koa<ApiState>();
  app.proxy = false; // X-Forwarded-* are believed from TRUSTED_PROXIES only (auth/client-address.ts)
  app.silent = true; // errors are rendered and logged by problemResponder
  // every authenticated route: credential, then the language and companies it acts in
  // then Idempotency-Key on writes (replays need the credential's scope)
  // the credential's rate limit comes right after authentication, before any work for Odoo
  // routes that do not authenticate (log in, password reset, OAuth token) count against the client address first
  const router = buildRouter(
    services,
    [authenticate(services), rateLimitPrincipalMiddleware(limiter, services.config), odooContextMiddleware(services.config), idempotencyMiddleware(services.db, services.log, services.settings.odooTimeoutMs)],
    [anonymousRateLimitMiddleware()],
  );
  app.use(requestIdMiddleware());
  app.use(requestLogMiddleware(services.requestLog, () => services.config.config.settings.requestLogMode, services.log));
  app.use(problemResponder(services.log));
  app.use(corsMiddleware(services.config, router));
  app.use(clientAddressMiddleware(services.settings.trustedProxies));
  app.use(rateLimitHeadersMiddleware(limiter, services.config));
  app.use(methodGuard(router));
  app.use(jsonBodyParser(services.settings.bodyLimit));
  // every string a route takes is checked once, here, before any credential is looked up
  app.use(edgeTextMiddleware());
  app.use(router.routes());
  app.use(router.allowedMethods({ throw: true }));
  return app;
}
