// Configure a fresh stack through Odoo's XML-RPC as admin: exposed models and an API key.
import { info } from './log.js';
import { ADMIN_LOGIN, ADMIN_PASSWORD } from './odoo.js';
import { OdooRpcError, OdooXmlRpc, type OdooSession, type XmlRpcValue } from './xmlrpc.js';

/** Models the dev/test stack exposes, with every operation allowed. */
export const EXPOSED_MODELS: readonly string[] = [
  'res.partner',
  'res.users',
  'res.company',
  'res.country',
  'res.partner.category',
];

export const ALLOW_FIELDS: readonly string[] = [
  'allow_read',
  'allow_create',
  'allow_update',
  'allow_delete',
  'allow_archive',
  'allow_restore',
];

function allowAll(): { [key: string]: XmlRpcValue } {
  return Object.fromEntries(ALLOW_FIELDS.map((name) => [name, true]));
}

/** Create (or update) a `rest.gateway.model` row per model; returns their ids by model name. */
export async function exposeModels(session: OdooSession, models: readonly string[]): Promise<Map<string, number>> {
  const result = new Map<string, number>();
  for (const model of models) {
    const [modelId] = await session.search('ir.model', [['model', '=', model]]);
    if (modelId === undefined) throw new OdooRpcError(`model ${model} does not exist in Odoo`);
    const existing = await session.search('rest.gateway.model', [['model_id', '=', modelId]], {
      context: { active_test: false },
    });
    if (existing.length > 0) {
      await session.write('rest.gateway.model', existing, { active: true, ...allowAll() });
      result.set(model, existing[0] as number);
    } else {
      result.set(model, await session.create('rest.gateway.model', { model_id: modelId, ...allowAll() }));
    }
  }
  return result;
}

/** Pull `context.default_key` out of the act_window `action_generate_key` returns. */
export function keyFromAction(action: unknown): string {
  if (typeof action === 'object' && action !== null) {
    const context = (action as Record<string, unknown>)['context'];
    if (typeof context === 'object' && context !== null) {
      const key = (context as Record<string, unknown>)['default_key'];
      if (typeof key === 'string' && key) return key;
    }
    if (typeof context === 'string') {
      const match = /['"]default_key['"]\s*:\s*['"]([^'"]+)['"]/.exec(context);
      if (match?.[1]) return match[1];
    }
  }
  throw new OdooRpcError(`action_generate_key returned no context.default_key: ${JSON.stringify(action)}`);
}

/**
 * An API key for `userId` with a full scope on every exposed model; returns
 * the plaintext, shown once by `action_generate_key`.
 */
export async function createApiKey(session: OdooSession, userId: number, exposed: Map<string, number>, name: string): Promise<string> {
  const scopes: XmlRpcValue[] = [...exposed.values()].map((exposedModelId) => [0, 0, { exposed_model_id: exposedModelId, ...allowAll() }]);
  const keyId = await session.create('rest.gateway.key', { name, user_id: userId, scope_ids: scopes });
  const action = await session.executeKw('rest.gateway.key', 'action_generate_key', [[keyId]]);
  const key = keyFromAction(action);
  if (!/^rgw_[a-z0-9]{10}_[A-Za-z0-9_-]{43}$/.test(key)) {
    info(`warning: the generated key does not have the documented shape rgw_<prefix10>_<secret43>`);
  }
  return key;
}

const STACK_RATE_LIMITS: ReadonlyArray<[string, string]> = [
  ['rest_gateway.rate_limit_default', '100000'],
  ['rest_gateway.rate_limit_anonymous', '100000'],
];

/** As admin: expose EXPOSED_MODELS with every operation, and make a key for admin scoped on all of them. */
export async function configureStack(odooUrl: string, db: string): Promise<string> {
  const rpc = new OdooXmlRpc(odooUrl, db);
  const session = await rpc.login(ADMIN_LOGIN, ADMIN_PASSWORD);
  const exposed = await exposeModels(session, EXPOSED_MODELS);
  // the dev stack is hammered by tests and benchmarks from one address with one key:
  // generous limits there; the rate-limit tests give their own keys small explicit limits
  for (const [param, value] of STACK_RATE_LIMITS) await session.executeKw('ir.config_parameter', 'set_param', [param, value]);
  return createApiKey(session, session.uid, exposed, 'stack (all models, all operations)');
}
