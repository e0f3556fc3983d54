/**
 * The webhook management API's one way to Odoo: a bridge call, as the API
 * key's user, to the addon's `rest_gateway_api_*` methods of
 * `rest.gateway.webhook`, which check that the key has `allow_webhooks`,
 * owns the webhook and may read the model (docs/bridge-protocol.md). Only
 * API keys manage webhooks: a webhook belongs to the key that made it.
 */
import { z } from 'zod';
import { errors } from '../../errors.js';
import { requirePrincipal, runOperations } from '../../http/request-services.js';
import type { ApiContext, Services } from '../../http/types.js';
import { BridgeError } from '../../odoo/bridge-types.js';

export const WEBHOOK_MODEL = 'rest.gateway.webhook';
const EVENTS = ['created', 'updated', 'deleted', 'restored'] as const;

/** The calling API key's id; other credentials are refused (403). */
export function requireApiKey(ctx: ApiContext): number {
  const principal = requirePrincipal(ctx);
  if (principal.kind !== 'api_key') {
    throw errors.forbidden('api_key_required', 'Webhooks are managed with an API key (Authorization: Bearer rgw_…); sessions, OAuth tokens and Basic credentials cannot.');
  }
  return principal.credentialId;
}

/** The `:id` of the path, or a 404. */
export function webhookId(ctx: ApiContext): number {
  const raw = ctx.params.id ?? '';
  if (!/^[1-9]\d{0,9}$/.test(raw) || Number(raw) >= 2 ** 31) throw errors.notFound('webhook_not_found', `No webhook with id "${raw}".`);
  return Number(raw);
}

/** Runs `rest_gateway_api_<method>(key_id, ...args)`; the key check's refusal is a 403, a webhook of another key a 404. */
export async function webhookCall(ctx: ApiContext, services: Services, method: string, args: unknown[], write: boolean): Promise<unknown> {
  const keyId = requireApiKey(ctx);
  try {
    const [result] = await runOperations(ctx, services, [{ model: WEBHOOK_MODEL, method: `rest_gateway_api_${method}`, args: [keyId, ...args] }], {
      readonly: !write,
    });
    return result;
  } catch (error) {
    if (error instanceof BridgeError && error.kind === 'access') {
      throw errors.forbidden('webhooks_not_allowed', 'This API key may not manage webhooks (its allow_webhooks setting is off).', { cause: error });
    }
    if (error instanceof BridgeError && error.kind === 'missing') {
      throw errors.notFound('webhook_not_found', 'No such webhook for this API key.', { cause: error });
    }
    throw error;
  }
}

const fieldList = z.array(z.string().min(1).max(128)).max(1000).nullable();

const webhookFields = {
  name: z.string().min(1).max(256),
  url: z.string().max(2048).regex(/^https?:\/\/\S+$/i, 'must be an absolute http:// or https:// URL'),
  model: z.string().min(1).max(128),
  events: z.array(z.enum(EVENTS)).min(1).max(EVENTS.length),
  update_fields: fieldList,
  fields: fieldList,
  domain: z.array(z.unknown()).max(200).nullable(),
  headers: z.record(z.string().min(1).max(64), z.string().max(1024)).nullable(),
  max_attempts: z.number().int().min(1).max(20),
  retry_base_delay: z.number().int().min(1).max(86_400),
  retry_max_delay: z.number().int().min(1).max(604_800),
  timeout: z.number().int().min(1).max(30),
  active: z.boolean(),
};

export const createWebhookBody = z.strictObject({
  ...z.object(webhookFields).partial().shape,
  name: webhookFields.name,
  url: webhookFields.url,
  model: webhookFields.model,
  events: webhookFields.events,
});
export const updateWebhookBody = z.strictObject(z.object(webhookFields).partial().shape);
export const rotateSecretBody = z.strictObject({ grace_hours: z.number().int().min(0).max(720).default(24) });
export const emptyBody = z.strictObject({});
