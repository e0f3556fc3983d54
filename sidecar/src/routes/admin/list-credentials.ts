/** GET /admin/keys, /admin/oauth-clients, /admin/tokens: a page of them, with filters. */
import { z } from 'zod';
import { errors } from '../../errors.js';
import type { RouteDefinition } from '../../http/types.js';
import { shapeRecord } from '../auth/auth-support.js';
import { KEYS, OAUTH_CLIENTS, TOKENS, adminCall, type AdminResource } from './admin-support.js';

const query = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).default(0),
  user_id: z.coerce.number().int().positive().optional(),
  client_id: z.coerce.number().int().positive().optional(),
  state: z.enum(['active', 'expired', 'revoked', 'archived', 'no_key', 'no_secret']).optional(),
  kind: z.enum(['session', 'oauth']).optional(),
});

function listRoute(resource: AdminResource, operationId: string): RouteDefinition {
  return {
    method: 'get',
    path: `/admin/${resource.path}`,
    operationId,
    summary: `List ${resource.path.replace('-', ' ')}`,
    tags: ['Admin'],
    authenticated: true,
    query: Object.keys(query.shape).map((name) => ({ name, description: `the ${name} of the page or a filter` })),
    async handler(ctx, services) {
      const parsed = query.safeParse(ctx.query);
      if (!parsed.success) {
        throw errors.badRequest('invalid_parameter', 'Invalid query parameters.', {
          errors: parsed.error.issues.map((i) => ({ field: i.path.join('.'), message: i.message })),
        });
      }
      const { limit, offset, ...filters } = parsed.data;
      const result = (await adminCall(ctx, services, {
        model: resource.model,
        method: 'rest_gateway_api_search',
        args: [filters, offset, limit],
      }, false)) as { records: Array<Record<string, unknown>>; total: number };
      ctx.body = { data: result.records.map(shapeRecord), meta: { total: result.total, limit, offset } };
    },
  };
}

export const listKeys = listRoute(KEYS, 'adminListKeys');
export const listOAuthClients = listRoute(OAUTH_CLIENTS, 'adminListOAuthClients');
export const listTokens = listRoute(TOKENS, 'adminListTokens');
