/**
 * Builds Odoo data for integration tests through Odoo's external API as the
 * admin: users, companies, exposed models and API keys with scopes.
 */
import { randomBytes } from 'node:crypto';
import { admin, api, eventually } from './stack.js';

export const unique = (label: string): string => `${label}-${randomBytes(4).toString('hex')}`;

export async function createCompany(name: string): Promise<number> {
  return (await admin()).execute<number>('res.company', 'create', [{ name }]);
}

export async function createUser(options: { login: string; companyIds: number[]; groups?: string[] }): Promise<{ id: number; login: string; password: string }> {
  const rpc = await admin();
  const password = `pw-${randomBytes(8).toString('hex')}`;
  const groupIds: number[] = [];
  for (const xmlid of options.groups ?? ['base.group_user']) {
    const [module, name] = xmlid.split('.') as [string, string];
    groupIds.push(await rpc.execute<number>('ir.model.data', 'check_object_reference', [module, name]).then((r: any) => r[1]));
  }
  const id = await rpc.execute<number>('res.users', 'create', [{
    name: options.login,
    login: options.login,
    password,
    company_id: options.companyIds[0],
    company_ids: [[6, 0, options.companyIds]],
    group_ids: [[6, 0, groupIds]],
  }]);
  return { id, login: options.login, password };
}

export async function exposedModelId(model: string, values: Record<string, unknown> = {}): Promise<number> {
  const rpc = await admin();
  const found = await rpc.execute<number[]>('rest.gateway.model', 'search', [[['model', '=', model]]], { context: { active_test: false } });
  if (found.length) {
    if (Object.keys(values).length) await rpc.execute('rest.gateway.model', 'write', [found, values]);
    return found[0] as number;
  }
  const [modelId] = await rpc.execute<number[]>('ir.model', 'search', [[['model', '=', model]]]);
  return rpc.execute<number>('rest.gateway.model', 'create', [{ model_id: modelId, ...values }]);
}

export interface ScopeSpec {
  model: string;
  toggles?: Partial<Record<'read' | 'create' | 'update' | 'delete' | 'archive' | 'restore', boolean>>;
  domain?: string;
  allowed?: string[];
  blocked?: string[];
}

async function fieldIds(model: string, names: string[]): Promise<number[]> {
  if (!names.length) return [];
  return (await admin()).execute<number[]>('ir.model.fields', 'search', [[['model', '=', model], ['name', 'in', names]]]);
}

export async function createKey(options: { userId: number; scopes: ScopeSpec[]; values?: Record<string, unknown> }): Promise<{ id: number; key: string }> {
  const rpc = await admin();
  const scopeCommands = [];
  for (const scope of options.scopes) {
    const toggles = { read: true, create: true, update: true, delete: true, archive: true, restore: true, ...scope.toggles };
    scopeCommands.push([0, 0, {
      exposed_model_id: await exposedModelId(scope.model),
      allow_read: toggles.read,
      allow_create: toggles.create,
      allow_update: toggles.update,
      allow_delete: toggles.delete,
      allow_archive: toggles.archive,
      allow_restore: toggles.restore,
      domain: scope.domain ?? '[]',
      allowed_field_ids: [[6, 0, await fieldIds(scope.model, scope.allowed ?? [])]],
      blocked_field_ids: [[6, 0, await fieldIds(scope.model, scope.blocked ?? [])]],
    }]);
  }
  const id = await rpc.execute<number>('rest.gateway.key', 'create', [{
    name: unique('key'),
    user_id: options.userId,
    scope_ids: scopeCommands,
    ...options.values,
  }]);
  const action = await rpc.execute<{ context: { default_key: string } }>('rest.gateway.key', 'action_generate_key', [[id]]);
  const key = action.context.default_key;
  // The sidecar reloads on NOTIFY; wait until it knows the key.
  await eventually(() => api('/models', { key }), (r) => r.status !== 401);
  return { id, key };
}
