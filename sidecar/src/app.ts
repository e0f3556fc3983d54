/**
 * Builds the Koa application. The middleware order is set here and only
 * here: request id → problem rendering → client address → body → routes
 * (each authenticated route authenticates first).
 */
import Koa from 'koa';
import { koaBody } from 'koa-body';
import { authenticate } from './auth/authenticate.js';
import { clientAddressMiddleware } from './auth/client-address.js';
import { odooContextMiddleware } from './http/odoo-context.js';
import type { ApiState, Services } from './http/types.js';
import { problemResponder } from './observability/problem-responder.js';
import { requestIdMiddleware } from './observability/request-id.js';
import { buildRouter } from './routes/index.js';

export function createApp(services: Services): Koa<ApiState> {
  const app = new Koa<ApiState>();
  app.proxy = !services.settings.trustedProxies.empty;
  app.silent = true; // errors are rendered and logged by problemResponder
  // every authenticated route: credential, then the language and companies it acts in
  const router = buildRouter(services, [authenticate(services.config), odooContextMiddleware(services.config)]);
  app.use(requestIdMiddleware());
  app.use(problemResponder(services.log));
  app.use(clientAddressMiddleware(services.settings.trustedProxies));
  app.use(
    koaBody({
      json: true,
      jsonStrict: true,
      multipart: false,
      urlencoded: false,
      text: false,
      jsonLimit: services.settings.bodyLimit,
    }),
  );
  app.use(router.routes());
  app.use(router.allowedMethods({ throw: true }));
  return app;
}
