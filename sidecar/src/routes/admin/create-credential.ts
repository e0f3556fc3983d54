/**
 * POST /admin/keys, /admin/oauth-clients: create one for any user, with
 * scopes never beyond what the exposed models and that user's Odoo rights
 * allow; the answer holds the plaintext secret, once.
 */
import type { RouteDefinition } from '../../http/types.js';
import { parseJsonBody } from '../auth/auth-support.js';
import { KEYS, OAUTH_CLIENTS, adminCall, createBody, toOdooValues, withSecret, type AdminResource } from './admin-support.js';

function createRoute(resource: AdminResource, operationId: string): RouteDefinition {
  return {
    method: 'post',
    path: `/admin/${resource.path}`,
    operationId,
    summary: `Create ${resource.path === 'keys' ? 'an API key' : 'an OAuth client'} (the secret is shown once)`,
    tags: ['Admin'],
    authenticated: true,
    query: [],
    async handler(ctx, services) {
      const values = toOdooValues(resource, parseJsonBody(ctx, createBody));
      const result = await adminCall(ctx, services, { model: resource.model, method: 'rest_gateway_api_create', args: [values] }, true);
      await services.config.reload();
      const data = withSecret(resource, result);
      ctx.status = 201;
      ctx.set('Location', `${ctx.path.replace(/\/+$/, '')}/${String(data.id)}`);
      ctx.set('Cache-Control', 'no-store');
      ctx.body = { data };
    },
  };
}

export const createKey = createRoute(KEYS, 'adminCreateKey');
export const createOAuthClient = createRoute(OAUTH_CLIENTS, 'adminCreateOAuthClient');
