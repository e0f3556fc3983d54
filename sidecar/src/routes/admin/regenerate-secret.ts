/** POST /admin/keys/{id}/regenerate, /admin/oauth-clients/{id}/regenerate: a new secret, shown once; the old one stops at once. */
import type { RouteDefinition } from '../../http/types.js';
import { KEYS, OAUTH_CLIENTS, adminCall, recordId, withSecret, type AdminResource } from './admin-support.js';

function regenerateRoute(resource: AdminResource, operationId: string): RouteDefinition {
  return {
    method: 'post',
    path: `/admin/${resource.path}/:id/regenerate`,
    operationId,
    summary: `Replace the secret of ${resource.path === 'keys' ? 'an API key' : 'an OAuth client'}`,
    tags: ['Admin'],
    authenticated: true,
    query: [],
    async handler(ctx, services) {
      const result = await adminCall(ctx, services, { model: resource.model, method: 'rest_gateway_api_regenerate', ids: [recordId(ctx)] }, true);
      await services.config.reload();
      ctx.set('Cache-Control', 'no-store');
      ctx.body = { data: withSecret(resource, result) };
    },
  };
}

export const regenerateKey = regenerateRoute(KEYS, 'adminRegenerateKey');
export const regenerateOAuthClientSecret = regenerateRoute(OAUTH_CLIENTS, 'adminRegenerateOAuthClientSecret');
