/** PATCH /admin/keys/{id}, /admin/oauth-clients/{id}: name, expiry, limits, network rules, scopes (replaced when given). */
import type { RouteDefinition } from '../../http/types.js';
import { parseJsonBody } from '../auth/auth-support.js';
import { KEYS, OAUTH_CLIENTS, adminCall, firstRecord, recordId, toOdooValues, updateBody, type AdminResource } from './admin-support.js';

function updateRoute(resource: AdminResource, operationId: string): RouteDefinition {
  return {
    method: 'patch',
    path: `/admin/${resource.path}/:id`,
    operationId,
    summary: `Update ${resource.path === 'keys' ? 'an API key' : 'an OAuth client'}`,
    tags: ['Admin'],
    authenticated: true,
    query: [],
    async handler(ctx, services) {
      const id = recordId(ctx);
      const values = toOdooValues(resource, parseJsonBody(ctx, updateBody));
      const result = await adminCall(ctx, services, { model: resource.model, method: 'rest_gateway_api_update', ids: [id], args: [values] }, true);
      await services.config.reload();
      ctx.body = { data: firstRecord(result) };
    },
  };
}

export const updateKey = updateRoute(KEYS, 'adminUpdateKey');
export const updateOAuthClient = updateRoute(OAUTH_CLIENTS, 'adminUpdateOAuthClient');
