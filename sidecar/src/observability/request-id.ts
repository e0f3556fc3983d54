/** X-Request-ID on every response (echoed when sane, generated otherwise) and Server-Timing. */
import { randomUUID } from 'node:crypto';
import type { Middleware } from 'koa';
import type { ApiState } from '../http/types.js';

const SANE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function requestIdMiddleware(): Middleware<ApiState> {
  return async (ctx, next) => {
    const incoming = ctx.get('X-Request-ID');
    ctx.state.requestId = SANE_ID.test(incoming) ? incoming : randomUUID();
    ctx.state.startedAt = performance.now();
    ctx.state.odooMs = 0;
    ctx.set('X-Request-ID', ctx.state.requestId);
    try {
      await next();
    } finally {
      const total = performance.now() - ctx.state.startedAt;
      const odoo = ctx.state.odooMs;
      ctx.set('Server-Timing', `sidecar;dur=${(total - odoo).toFixed(1)}, odoo;dur=${odoo.toFixed(1)}, total;dur=${total.toFixed(1)}`);
      ctx.set('X-Request-ID', ctx.state.requestId);
    }
  };
}
