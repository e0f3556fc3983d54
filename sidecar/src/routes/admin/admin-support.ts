/**
 * The admin token API's resources (API keys, OAuth clients, issued tokens)
 * and its one way to Odoo: a bridge call, as the acting user, whose first
 * operation checks that the user is a REST Gateway Manager (live: a user
 * who loses the group loses the API at once) and whose second does the work
 * through the credential models' own methods and access rules.
 */
import { z } from 'zod';
import { errors } from '../../errors.js';
import { BridgeError } from '../../odoo/bridge-types.js';
import { requirePrincipal, runOperations } from '../../http/request-services.js';
import type { ApiContext, Services } from '../../http/types.js';
import type { CompiledOperation } from '../../query/compile-read.js';
import { odooFromIso, requireUserCredential, shapeRecord } from '../auth/auth-support.js';

export interface AdminResource {
  /** URL segment under /admin/. */
  path: string;
  model: string;
  /** The key of the one-time plaintext in answers; null for issued tokens. */
  secretField: string | null;
  /** Changes the configuration cache (keys and clients do). */
  configured: boolean;
}

export const KEYS: AdminResource = { path: 'keys', model: 'rest.gateway.key', secretField: 'key', configured: true };
export const OAUTH_CLIENTS: AdminResource = { path: 'oauth-clients', model: 'rest.gateway.oauth.client', secretField: 'client_secret', configured: true };
export const TOKENS: AdminResource = { path: 'tokens', model: 'rest.gateway.token', secretField: null, configured: false };

/** Runs `operation` after the manager check, in one Odoo transaction. */
export async function adminCall(ctx: ApiContext, services: Services, operation: CompiledOperation, write: boolean): Promise<unknown> {
  requireUserCredential(requirePrincipal(ctx));
  try {
    const [, result] = await runOperations(ctx, services, [{ model: 'res.users', method: 'rest_gateway_check_manager' }, operation], {
      readonly: !write,
    });
    return result;
  } catch (error) {
    if (error instanceof BridgeError && error.kind === 'access' && error.operation === 0) {
      throw errors.forbidden('manager_required', 'Only REST Gateway managers may manage credentials.');
    }
    throw error;
  }
}

/** The `:id` of the path, or a 404. */
export function recordId(ctx: ApiContext): number {
  const raw = ctx.params.id ?? '';
  if (!/^[1-9]\d{0,9}$/.test(raw)) throw errors.notFound('record_not_found', `No record with id "${raw}".`);
  return Number(raw);
}

/** The one record a `rest_gateway_api_*` method answered for one id, shaped. */
export function firstRecord(result: unknown): Record<string, unknown> {
  const record = Array.isArray(result) ? result[0] : result;
  if (!record || typeof record !== 'object') throw errors.notFound('record_not_found', 'No such record.');
  return shapeRecord(record as Record<string, unknown>);
}

/** `{record, secret}` from a create or regenerate, with the plaintext under the resource's name. */
export function withSecret(resource: AdminResource, result: unknown): Record<string, unknown> {
  const { record, secret } = result as { record: Record<string, unknown>; secret: string };
  return { ...shapeRecord(record), [resource.secretField ?? 'secret']: secret };
}

const OPERATIONS = ['read', 'create', 'update', 'delete', 'archive', 'restore'] as const;

export const scopeBody = z.strictObject({
  model: z.string().min(1).max(128),
  operations: z.array(z.enum(OPERATIONS)).min(1).optional(),
  domain: z.array(z.unknown()).max(200).optional(),
  allowed_fields: z.array(z.string().min(1)).max(1000).optional(),
  blocked_fields: z.array(z.string().min(1)).max(1000).optional(),
});

const credentialFields = {
  name: z.string().min(1).max(255),
  expires_at: z.iso.datetime({ offset: true }).nullable().optional(),
  rate_limit: z.number().int().min(0).max(1_000_000).optional(),
  allowed_ips: z.array(z.string().min(1).max(64)).max(1000).optional(),
  allowed_origins: z.array(z.string().min(1).max(255)).max(1000).optional(),
  notes: z.string().max(10_000).nullable().optional(),
  scopes: z.array(scopeBody).max(500).optional(),
  token_lifetime: z.number().int().min(60).max(86_400).optional(),
  allow_webhooks: z.boolean().optional(),
};

export const createBody = z.strictObject({ ...credentialFields, user_id: z.number().int().positive().optional() });
export const updateBody = z.strictObject({ ...credentialFields, name: credentialFields.name.optional() });

/** An API body in Odoo's terms: ISO datetimes become naive UTC, nulls become false. */
export function toOdooValues(resource: AdminResource, body: Record<string, unknown>): Record<string, unknown> {
  if ('token_lifetime' in body && resource !== OAUTH_CLIENTS) {
    throw errors.badRequest('invalid_body', 'token_lifetime applies to OAuth clients only.', {
      errors: [{ field: 'token_lifetime', message: 'not a field of this resource' }],
    });
  }
  if ('allow_webhooks' in body && resource !== KEYS) {
    throw errors.badRequest('invalid_body', 'allow_webhooks applies to API keys only.', {
      errors: [{ field: 'allow_webhooks', message: 'not a field of this resource' }],
    });
  }
  const values: Record<string, unknown> = { ...body };
  if (typeof body.expires_at === 'string') values.expires_at = odooFromIso(body.expires_at);
  for (const [field, value] of Object.entries(values)) if (value === null) values[field] = false;
  return values;
}
