/**
 * A webhook's domain and field lists pass the same policy as a request's
 * filter and fields (D-S5): delivered and skipped events would otherwise
 * tell a key what its field rules and scopes hide (a domain on a blocked
 * field, a path through a model outside its scopes, a trigger on changes
 * of a blocked field). The domain stored is the checked one, with the
 * scopes of the models it crosses.
 */
import { errors } from '../../errors.js';
import { modelResolver } from '../../http/request-services.js';
import type { ApiContext, Services } from '../../http/types.js';
import { checkOwnField } from '../../policy/field-check.js';
import type { Domain } from '../../policy/types.js';
import { checkClientDomain } from '../../query/domain.js';
import { requireApiKey, webhookCall } from './webhook-support.js';

export interface WebhookPolicyValues {
  model?: string;
  domain?: unknown[] | null;
  fields?: string[] | null;
  update_fields?: string[] | null;
}

const touchesPolicy = (values: WebhookPolicyValues): boolean =>
  values.domain != null || values.fields != null || values.update_fields != null || values.model !== undefined;

/** The values with their domain checked and rewritten; refuses (4xx) what the key may not read. */
export async function authorizeWebhookValues<T extends WebhookPolicyValues>(ctx: ApiContext, services: Services, values: T, webhookId?: number): Promise<T> {
  requireApiKey(ctx); // other credentials are refused before their values are looked at
  if (!touchesPolicy(values)) return values;
  const model = values.model ?? ((await webhookCall(ctx, services, 'read', [webhookId], false)) as { model: string }).model;
  const resolve = modelResolver(ctx, services);
  const context = await resolve(model, 'read').catch((error: unknown) => {
    throw errors.badRequest('invalid_value', `model: ${model} is not a model this API key may read.`, {
      errors: [{ field: 'model', message: 'not readable with this API key' }],
      cause: error,
    });
  });
  for (const key of ['fields', 'update_fields'] as const) {
    values[key]?.forEach((name, index) => checkOwnField(context, name, 'read', `${key}[${index}]`));
  }
  if (values.domain == null) return values;
  const domain: Domain = await checkClientDomain(values.domain, context, resolve);
  return { ...values, domain };
}
