/**
 * Helpers of the authentication tests: sessions, OAuth clients through the
 * admin API, form posts, Basic headers, system parameters and direct SQL on
 * the stack's database (to age a token or enable two-factor for a user).
 */
import pg from 'pg';
import { admin, api, stack, type ApiResponse } from './stack.js';

export const basic = (login: string, password: string): string => `Basic ${Buffer.from(`${login}:${password}`).toString('base64')}`;

export async function login(loginName: string, password: string): Promise<{ token: string; response: ApiResponse }> {
  const response = await api('/auth/login', { key: null, method: 'POST', body: { login: loginName, password } });
  if (response.status !== 200) throw new Error(`login ${loginName} failed: ${response.status} ${response.text}`);
  return { token: response.body.data.token as string, response };
}

let adminSession: Promise<string> | null = null;
/** A session of the stack's admin (a REST Gateway Manager). */
export function adminToken(): Promise<string> {
  adminSession ??= login(stack.odoo_login, stack.odoo_password).then((r) => r.token);
  return adminSession;
}

export async function formPost(path: string, params: Record<string, string>, headers: Record<string, string> = {}): Promise<ApiResponse> {
  return api(path, {
    key: null,
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(params).toString(),
  });
}

export interface OAuthClient {
  id: number;
  clientId: string;
  secret: string;
}

export async function createOAuthClient(values: Record<string, unknown>): Promise<OAuthClient> {
  const r = await api('/admin/oauth-clients', { key: await adminToken(), method: 'POST', body: { name: `client-${Date.now()}`, ...values } });
  if (r.status !== 201) throw new Error(`cannot create client: ${r.status} ${r.text}`);
  return { id: r.body.data.id, clientId: r.body.data.client_id, secret: r.body.data.client_secret };
}

export async function clientToken(client: OAuthClient, scope?: string): Promise<string> {
  const params: Record<string, string> = { grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.secret };
  if (scope) params.scope = scope;
  const r = await formPost('/oauth/token', params);
  if (r.status !== 200) throw new Error(`no token: ${r.status} ${r.text}`);
  return r.body.access_token as string;
}

export async function setParam(key: string, value: string): Promise<void> {
  const rpc = await admin();
  await rpc.execute('ir.config_parameter', 'set_param', [key, value]);
}

export async function sql<T = Record<string, unknown>>(text: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: stack.database_url });
  await client.connect();
  try {
    return (await client.query(text, values)).rows as T[];
  } finally {
    await client.end();
  }
}

/**
 * Odoo's login cooldown counts failures per client address, and every test
 * calls from 127.0.0.1: keep it out of the way except where a test wants it.
 */
export async function relaxLoginCooldown(): Promise<void> {
  await setParam('base.login_cooldown_after', '1000');
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
