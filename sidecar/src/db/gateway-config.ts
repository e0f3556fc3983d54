/**
 * Reads the gateway configuration (exposed models, API keys, OAuth clients,
 * scopes, field rules, the users credentials act as, and the
 * `rest_gateway.*` system parameters) from the addon's tables in one snapshot.
 */
import { readOAuthClients, readGatewayParams, type OAuthClientRow } from './oauth-clients.js';
import type { Db } from './knex.js';

export interface OperationToggles {
  read: boolean;
  create: boolean;
  update: boolean;
  delete: boolean;
  archive: boolean;
  restore: boolean;
}

export interface ExposedModelRow {
  id: number;
  model: string;
  name: string;
  toggles: OperationToggles;
  domainJson: string | null;
  defaultPageSize: number;
  maxPageSize: number;
}

export interface ApiKeyRow {
  id: number;
  name: string;
  userId: number;
  prefix: string;
  digest: string;
  expiresAt: Date | null;
  rateLimit: number;
  allowedIps: string | null;
  allowedOrigins: string | null;
}

export interface ScopeRow {
  id: number;
  /** Exactly one of keyId and clientId is set. */
  keyId: number | null;
  clientId: number | null;
  exposedModelId: number;
  toggles: OperationToggles;
  domainJson: string | null;
  /**
   * The scope was given an allowlist: it stays one (only `id`) when its
   * fields are gone, e.g. deleted with the module that had them.
   */
  restrictFields: boolean;
  allowedFields: string[];
  blockedFields: string[];
}

export interface UserRow {
  id: number;
  active: boolean;
  login: string;
  lang: string | null;
  tz: string | null;
  companyId: number;
  companyIds: number[];
}

export interface GatewayConfigSnapshot {
  /** Codes of the active languages (`fr_FR`). */
  languages: string[];
  models: ExposedModelRow[];
  keys: ApiKeyRow[];
  clients: OAuthClientRow[];
  scopes: ScopeRow[];
  users: UserRow[];
  /** `rest_gateway.*` system parameters, by key. */
  params: Record<string, string>;
}

const TOGGLE_COLUMNS = ['allow_read', 'allow_create', 'allow_update', 'allow_delete', 'allow_archive', 'allow_restore'];

type ToggleRow = Record<(typeof TOGGLE_COLUMNS)[number], boolean | null>;

function toggles(row: ToggleRow): OperationToggles {
  return {
    read: Boolean(row.allow_read),
    create: Boolean(row.allow_create),
    update: Boolean(row.allow_update),
    delete: Boolean(row.allow_delete),
    archive: Boolean(row.allow_archive),
    restore: Boolean(row.allow_restore),
  };
}

async function readFieldRules(db: Db, table: string): Promise<Map<number, string[]>> {
  const rows = await db(`${table} as r`)
    .join('ir_model_fields as f', 'f.id', 'r.field_id')
    .select<{ scope_id: number; name: string }[]>('r.scope_id', 'f.name');
  const byScope = new Map<number, string[]>();
  for (const row of rows) {
    const list = byScope.get(row.scope_id) ?? [];
    list.push(row.name);
    byScope.set(row.scope_id, list);
  }
  return byScope;
}

export async function readGatewayConfig(db: Db): Promise<GatewayConfigSnapshot> {
  return db.transaction(
    async (trx) => {
      const modelRows = await trx('rest_gateway_model as m')
        .join('ir_model as im', 'im.id', 'm.model_id')
        .where('m.active', true)
        .select<Array<ToggleRow & Record<string, unknown>>>(
          'm.id',
          'm.model',
          trx.raw(`COALESCE(im.name->>'en_US', m.model) AS name`),
          ...TOGGLE_COLUMNS.map((c) => `m.${c}`),
          'm.domain_json',
          'm.default_page_size',
          'm.max_page_size',
        );
      const keyRows = await trx('rest_gateway_key')
        .where('active', true)
        .whereNull('revoked_at')
        .whereNotNull('digest')
        .whereNotNull('prefix')
        .select<Array<Record<string, unknown>>>(
          'id', 'name', 'user_id', 'prefix', 'digest', 'expires_at', 'rate_limit', 'allowed_ips', 'allowed_origins',
        );
      const clients = await readOAuthClients(trx);
      const scopeRows = await trx('rest_gateway_key_scope as s')
        .leftJoin('rest_gateway_key as k', 'k.id', 's.key_id')
        .leftJoin('rest_gateway_oauth_client as c', 'c.id', 's.client_id')
        .where((q) => q.where('k.active', true).orWhere('c.active', true))
        .select<Array<ToggleRow & Record<string, unknown>>>(
          's.id', 's.key_id', 's.client_id', 's.exposed_model_id', ...TOGGLE_COLUMNS.map((c) => `s.${c}`), 's.domain_json', 's.restrict_fields',
        );
      const params = await readGatewayParams(trx);
      const languageRows = await trx('res_lang').where('active', true).orderBy('code').select<{ code: string }[]>('code');
      const allowed = await readFieldRules(trx, 'rest_gateway_scope_allowed_field_rel');
      const blocked = await readFieldRules(trx, 'rest_gateway_scope_blocked_field_rel');
      const userIds = [...new Set([...keyRows.map((k) => Number(k.user_id)), ...clients.map((c) => c.userId)])];
      const userRows = userIds.length
        ? await trx('res_users as u')
            .join('res_partner as p', 'p.id', 'u.partner_id')
            .whereIn('u.id', userIds)
            .select<Array<Record<string, unknown>>>(
              'u.id', 'u.active', 'u.login', 'p.lang', 'p.tz', 'u.company_id',
              trx.raw('ARRAY(SELECT cid FROM res_company_users_rel WHERE user_id = u.id ORDER BY cid) AS company_ids'),
            )
        : [];
      return {
        languages: languageRows.map((r) => r.code),
        models: modelRows.map((r) => ({
          id: Number(r.id),
          model: String(r.model),
          name: String(r.name),
          toggles: toggles(r),
          domainJson: (r.domain_json as string | null) ?? null,
          defaultPageSize: Number(r.default_page_size) || 20,
          maxPageSize: Number(r.max_page_size) || 200,
        })),
        keys: keyRows.map((r) => ({
          id: Number(r.id),
          name: String(r.name),
          userId: Number(r.user_id),
          prefix: String(r.prefix),
          digest: String(r.digest),
          expiresAt: (r.expires_at as Date | null) ?? null,
          rateLimit: Number(r.rate_limit) || 0,
          allowedIps: (r.allowed_ips as string | null) ?? null,
          allowedOrigins: (r.allowed_origins as string | null) ?? null,
        })),
        clients,
        params,
        scopes: scopeRows.map((r) => ({
          id: Number(r.id),
          keyId: r.key_id === null ? null : Number(r.key_id),
          clientId: r.client_id === null ? null : Number(r.client_id),
          exposedModelId: Number(r.exposed_model_id),
          toggles: toggles(r),
          domainJson: (r.domain_json as string | null) ?? null,
          restrictFields: Boolean(r.restrict_fields),
          allowedFields: allowed.get(Number(r.id)) ?? [],
          blockedFields: blocked.get(Number(r.id)) ?? [],
        })),
        users: userRows.map((r) => ({
          id: Number(r.id),
          active: Boolean(r.active),
          login: String(r.login),
          lang: (r.lang as string | null) || null,
          tz: (r.tz as string | null) || null,
          companyId: Number(r.company_id),
          companyIds: (r.company_ids as number[]).map(Number),
        })),
      };
    },
    { readOnly: true },
  );
}
