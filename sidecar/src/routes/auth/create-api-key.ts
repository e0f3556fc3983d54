/**
 * POST /auth/api-key: a logged-in user creates a key for themselves, with
 * the scopes they choose within what the exposed models and their own Odoo
 * rights allow (Odoo refuses more). The plaintext is in this answer only.
 * The key's limits (`rate_limit`, `allow_webhooks`) are a manager's call.
 */
import { z } from 'zod';
import { errors } from '../../errors.js';
import { requirePrincipal, runOperations } from '../../http/request-services.js';
import type { RouteDefinition } from '../../http/types.js';
import { BridgeError } from '../../odoo/bridge-types.js';
import type { CompiledOperation } from '../../query/compile-read.js';
import { KEYS, scopeBody, toOdooValues, withSecret } from '../admin/admin-support.js';
import { parseJsonBody, requireUserCredential } from './auth-support.js';

const body = z.strictObject({
  name: z.string().min(1).max(255),
  scopes: z.array(scopeBody).min(1).max(500),
  expires_at: z.iso.datetime({ offset: true }).nullable().optional(),
  rate_limit: z.number().int().min(0).max(1_000_000).optional(),
  allow_webhooks: z.boolean().optional(),
  allowed_ips: z.array(z.string().min(1).max(64)).max(1000).optional(),
  allowed_origins: z.array(z.string().min(1).max(255)).max(1000).optional(),
  notes: z.string().max(10_000).nullable().optional(),
});

type Body = z.infer<typeof body>;

/**
 * The fields that raise a key's limits, when the body sets them to anything
 * but their default: only REST Gateway Managers may (docs/decisions.md D-S33).
 */
function managerFields(values: Body): string[] {
  const fields: string[] = [];
  if (values.rate_limit) fields.push('rate_limit');
  if (values.allow_webhooks) fields.push('allow_webhooks');
  return fields;
}

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
    const parsed = parseJsonBody(ctx, body);
    const values = toOdooValues(KEYS, parsed);
    const restricted = managerFields(parsed);
    const create: CompiledOperation = { model: KEYS.model, method: 'rest_gateway_api_create', args: [values] };
    // the manager check runs in the same Odoo transaction as the create: live, as for the admin API
    const operations: CompiledOperation[] = restricted.length ? [{ model: 'res.users', method: 'rest_gateway_check_manager' }, create] : [create];
    let results: unknown[];
    try {
      results = await runOperations(ctx, services, operations, { readonly: false });
    } catch (error) {
      if (restricted.length && error instanceof BridgeError && error.kind === 'access' && error.operation === 0) {
        throw errors.forbidden('manager_required', `Only REST Gateway managers may set ${restricted.join(' and ')} on a key; leave it out to get the default.`, {
          errors: restricted.map((field) => ({ field, message: 'only REST Gateway managers may set it' })),
        });
      }
      throw error;
    }
    await services.config.reload();
    const data = withSecret(KEYS, results[results.length - 1]);
    ctx.status = 201;
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { data };
  },
};
