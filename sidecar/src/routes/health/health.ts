/** GET /healthz (the process is up) and GET /readyz (database and Odoo reachable). */
import type { RouteDefinition } from '../../http/types.js';

export const healthz: RouteDefinition = {
  method: 'get',
  path: '/healthz',
  operationId: 'healthz',
  summary: 'Liveness: the process is up',
  tags: ['Health'],
  authenticated: false,
  query: [],
  async handler(ctx) {
    ctx.body = { status: 'ok' };
  },
};

export const readyz: RouteDefinition = {
  method: 'get',
  path: '/readyz',
  operationId: 'readyz',
  summary: 'Readiness: database and Odoo reachable',
  tags: ['Health'],
  authenticated: false,
  query: [],
  async handler(ctx, services) {
    const [database, odoo] = await Promise.all([
      services.db.raw('SELECT 1').then(() => true, () => false),
      services.bridge.ping(),
    ]);
    const ready = database && odoo;
    ctx.status = ready ? 200 : 503;
    if (!ready) ctx.set('Retry-After', '5');
    ctx.body = { status: ready ? 'ready' : 'unavailable', checks: { database: database ? 'ok' : 'down', odoo: odoo ? 'ok' : 'down' } };
  },
};
