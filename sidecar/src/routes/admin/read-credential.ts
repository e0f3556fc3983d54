/** GET /admin/keys/{id}, /admin/oauth-clients/{id}, /admin/tokens/{id}. */
import type { RouteDefinition } from '../../http/types.js';
import { KEYS, OAUTH_CLIENTS, TOKENS, adminCall, firstRecord, recordId, type AdminResource } from './admin-support.js';

function readRoute(resource: AdminResource, operationId: string): RouteDefinition {
  return {
    method: 'get',
    path: `/admin/${resource.path}/:id`,
    operationId,
    summary: `Read one of the ${resource.path.replace('-', ' ')}`,
    tags: ['Admin'],
    authenticated: true,
    query: [],
    async handler(ctx, services) {
      const result = await adminCall(ctx, services, { model: resource.model, method: 'rest_gateway_api_read', ids: [recordId(ctx)] }, false);
      ctx.body = { data: firstRecord(result) };
    },
  };
}

export const readKey = readRoute(KEYS, 'adminReadKey');
export const readOAuthClient = readRoute(OAUTH_CLIENTS, 'adminReadOAuthClient');
export const readToken = readRoute(TOKENS, 'adminReadToken');
