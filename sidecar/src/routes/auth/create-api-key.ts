/**
 * POST /auth/api-key: a logged-in user creates a key for themselves, with
 * the scopes they choose within what the exposed models and their own Odoo
 * rights allow (Odoo refuses more). The plaintext is in this answer only.
 */
import { z } from 'zod';
import { requirePrincipal, runOperations } from '../../http/request-services.js';
import type { RouteDefinition } from '../../http/types.js';
import { KEYS, scopeBody, toOdooValues, withSecret } from '../admin/admin-support.js';
import { parseJsonBody, requireUserCredential } from './auth-support.js';

const body = z.strictObject({
  name: z.string().min(1).max(255),
  scopes: z.array(scopeBody).min(1).max(500),
  expires_at: z.iso.datetime({ offset: true }).nullable().optional(),
  rate_limit: z.number().int().min(0).max(1_000_000).optional(),
  allowed_ips: z.array(z.string().min(1).max(64)).max(1000).optional(),
  allowed_origins: z.array(z.string().min(1).max(255)).max(1000).optional(),
  notes: z.string().max(10_000).nullable().optional(),
});

export const createApiKey: RouteDefinition = {
  method: 'post',
  path: '/auth/api-key',
  operationId: 'createOwnApiKey',
  summary: 'Create an API key for the logged-in user (shown once)',
  tags: ['Authentication'],
  authenticated: true,
  query: [],
  async handler(ctx, services) {
    requireUserCredential(requirePrincipal(ctx), ['session']);
    const values = toOdooValues(KEYS, parseJsonBody(ctx, body));
    const [result] = await runOperations(ctx, services, [{ model: KEYS.model, method: 'rest_gateway_api_create', args: [values] }], {
      readonly: false,
    });
    await services.config.reload();
    const data = withSecret(KEYS, result);
    ctx.status = 201;
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { data };
  },
};
