/**
 * Every route of the sidecar, in matching order (fixed paths before
 * `/:model/:id`), and the router that mounts them.
 */
import Router from '@koa/router';
import type { Middleware } from 'koa';
import type { ApiContext, ApiState, RouteDefinition, Services } from '../http/types.js';
import { healthz, readyz } from './health/health.js';
import { listModels } from './models/list-models.js';
import { countRecords } from './records/count-records.js';
import { listFields } from './records/list-fields.js';
import { listRecords } from './records/list-records.js';
import { readRecord } from './records/read-record.js';

export const API_PREFIX = '/api/v1';

export const rootRoutes: RouteDefinition[] = [healthz, readyz];
export const apiRoutes: RouteDefinition[] = [
  listModels,
  // fixed sub-paths of a model before /:model/:id
  countRecords,
  listFields,
  listRecords,
  readRecord,
];

export function buildRouter(services: Services, authenticated: Middleware<ApiState>[]): Router<ApiState> {
  const router = new Router<ApiState>();
  const mount = (prefix: string, routes: RouteDefinition[]) => {
    for (const route of routes) {
      const handler: Middleware<ApiState> = (ctx) => route.handler(ctx as unknown as ApiContext, services);
      const chain = route.authenticated ? [...authenticated, handler] : [handler];
      router[route.method](route.operationId, `${prefix}${route.path}`, ...chain);
    }
  };
  mount('', rootRoutes);
  mount(API_PREFIX, apiRoutes);
  return router;
}
