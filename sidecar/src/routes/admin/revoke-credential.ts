/**
 * POST /admin/{keys|oauth-clients|tokens}/{id}/revoke: stops it for good.
 * This sidecar reloads its configuration before answering, and tokens are
 * checked per request, so the next request made with it is refused.
 */
import type { RouteDefinition } from '../../http/types.js';
import { KEYS, OAUTH_CLIENTS, TOKENS, adminCall, firstRecord, recordId, type AdminResource } from './admin-support.js';

function revokeRoute(resource: AdminResource, operationId: string): RouteDefinition {
  return {
    method: 'post',
    path: `/admin/${resource.path}/:id/revoke`,
    operationId,
    summary: `Revoke one of the ${resource.path.replace('-', ' ')}`,
    tags: ['Admin'],
    authenticated: true,
    query: [],
    async handler(ctx, services) {
      const result = await adminCall(ctx, services, { model: resource.model, method: 'rest_gateway_api_revoke', ids: [recordId(ctx)] }, true);
      if (resource.configured) await services.config.reload();
      ctx.body = { data: firstRecord(result) };
    },
  };
}

export const revokeKey = revokeRoute(KEYS, 'adminRevokeKey');
export const revokeOAuthClient = revokeRoute(OAUTH_CLIENTS, 'adminRevokeOAuthClient');
export const revokeToken = revokeRoute(TOKENS, 'adminRevokeToken');
