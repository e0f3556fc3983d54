/**
 * Every route of the sidecar, in matching order (fixed paths before
 * `/:model/:id`), and the router that mounts them.
 */
import Router from '@koa/router';
import type { Middleware } from 'koa';
import type { ApiContext, ApiState, RouteDefinition, Services } from '../http/types.js';
import { authRoutes } from './auth-routes.js';
import { healthz, readyz } from './health/health.js';
import { listModels } from './models/list-models.js';
import { countRecords } from './records/count-records.js';
import { listChanges } from './records/list-changes.js';
import { listFields } from './records/list-fields.js';
import { listRecords } from './records/list-records.js';
import { readRecord } from './records/read-record.js';
import { archiveRecord } from './records/archive-record.js';
import { copyRecord } from './records/copy-record.js';
import { createRecord } from './records/create-record.js';
import { deleteRecord } from './records/delete-record.js';
import { readBulk } from './records/read-bulk.js';
import { readBulkPost } from './records/read-bulk-post.js';
import { batchRecords } from './records/batch-records.js';
import { upsertRecords } from './records/upsert-records.js';
import { replaceRecord } from './records/replace-record.js';
import { restoreRecord } from './records/restore-record.js';
import { updateRecord } from './records/update-record.js';
import { webhookRoutes } from './webhooks/webhook-routes.js';

export const API_PREFIX = '/api/v1';

export const rootRoutes: RouteDefinition[] = [healthz, readyz];
export const apiRoutes: RouteDefinition[] = [
  // authentication, OAuth and admin routes before /:model/...
  ...authRoutes,
  listModels,
  // /webhooks before /:model
  ...webhookRoutes,
  // fixed sub-paths of a model before /:model/:id
  countRecords,
  listFields,
  listChanges,
  readBulk,
  readBulkPost,
  batchRecords,
  upsertRecords,
  listRecords,
  createRecord,
  readRecord,
  updateRecord,
  replaceRecord,
  deleteRecord,
  archiveRecord,
  restoreRecord,
  copyRecord,
];

/** `authenticated`: the chain before a route that authenticates; `anonymous`: before one that does not. */
export function buildRouter(services: Services, authenticated: Middleware<ApiState>[], anonymous: Middleware<ApiState>[] = []): Router<ApiState> {
  const router = new Router<ApiState>();
  const mount = (prefix: string, routes: RouteDefinition[]) => {
    for (const route of routes) {
      const handler: Middleware<ApiState> = (ctx) => route.handler(ctx as unknown as ApiContext, services);
      const chain = route.authenticated ? [...authenticated, handler] : [...anonymous, handler];
      router[route.method](route.operationId, `${prefix}${route.path}`, ...chain);
    }
  };
  mount('', rootRoutes);
  mount(API_PREFIX, apiRoutes);
  return router;
}
