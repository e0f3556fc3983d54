/** DELETE /admin/{keys|oauth-clients|tokens}/{id}: removes the row (a client's tokens and scopes go with it). */
import type { RouteDefinition } from '../../http/types.js';
import { KEYS, OAUTH_CLIENTS, TOKENS, adminCall, recordId, type AdminResource } from './admin-support.js';

function deleteRoute(resource: AdminResource, operationId: string): RouteDefinition {
  return {
    method: 'delete',
    path: `/admin/${resource.path}/:id`,
    operationId,
    summary: `Delete one of the ${resource.path.replace('-', ' ')}`,
    tags: ['Admin'],
    authenticated: true,
    query: [],
    async handler(ctx, services) {
      await adminCall(ctx, services, { model: resource.model, method: 'unlink', ids: [recordId(ctx)] }, true);
      if (resource.configured) await services.config.reload();
      ctx.status = 204;
    },
  };
}

export const deleteKey = deleteRoute(KEYS, 'adminDeleteKey');
export const deleteOAuthClient = deleteRoute(OAUTH_CLIENTS, 'adminDeleteOAuthClient');
export const deleteToken = deleteRoute(TOKENS, 'adminDeleteToken');
