// Issue: authentication in full. The per-request cost of each way in (Bearer API key, OAuth access token,
// session token, Basic with a password) on GET /api/v1/models, which does no Odoo call, against the
// unauthenticated GET /healthz of the same sidecar: Δp50 is what authenticating adds to a request.
import { readFileSync } from 'node:fs';
import { Pool } from 'undici';
import type { Job } from '../load.js';
import type { BenchEnv, Scenario } from './types.js';

interface Credentials {
  session: string;
  oauth: string;
  basic: string;
}

let credentials: Credentials | null = null;
const healthPools = new Map<string, Pool>();

/** The stack's admin login (STACK_JSON when given, else the stack's default admin/admin). */
function adminLogin(): { login: string; password: string } {
  try {
    const stack = JSON.parse(readFileSync(process.env.STACK_JSON ?? '', 'utf8')) as { odoo_login?: string; odoo_password?: string };
    return { login: stack.odoo_login ?? 'admin', password: stack.odoo_password ?? 'admin' };
  } catch {
    return { login: 'admin', password: 'admin' };
  }
}

async function post(env: BenchEnv, path: string, body: string, headers: Record<string, string>): Promise<Record<string, any>> {
  const response = await fetch(`${env.apiOrigin}${env.apiPrefix}${path}`, { method: 'POST', headers, body });
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status} ${await response.text()}`);
  return (await response.json()) as Record<string, any>;
}

async function prepareCredentials(env: BenchEnv): Promise<Credentials> {
  if (credentials) return credentials;
  const { login, password } = adminLogin();
  const json = { 'content-type': 'application/json' };
  const session = (await post(env, '/auth/login', JSON.stringify({ login, password }), json)).data.token as string;
  const client = (await post(env, '/admin/oauth-clients', JSON.stringify({ name: 'bench', scopes: [{ model: 'res.partner' }] }), {
    ...json,
    authorization: `Bearer ${session}`,
  })).data as { client_id: string; client_secret: string };
  const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: client.client_id, client_secret: client.client_secret });
  const oauth = (await post(env, '/oauth/token', form.toString(), { 'content-type': 'application/x-www-form-urlencoded' })).access_token as string;
  credentials = { session, oauth, basic: `Basic ${Buffer.from(`${login}:${password}`).toString('base64')}` };
  return credentials;
}

/** GET /healthz on the sidecar. The load generator's pool of a baseline points at Odoo, so this one has its own. */
function healthJob(env: BenchEnv): Job {
  let pool = healthPools.get(env.apiOrigin);
  if (!pool) {
    pool = new Pool(env.apiOrigin, { connections: 16, pipelining: 1, keepAliveTimeout: 30_000 });
    healthPools.set(env.apiOrigin, pool);
  }
  const shared = pool;
  return async () => {
    const response = await shared.request({ method: 'GET', path: '/healthz' });
    await response.body.dump();
    if (response.statusCode !== 200) throw new Error(`healthz: HTTP ${response.statusCode}`);
  };
}

function wayIn(name: string, authorization: (env: BenchEnv, c: Credentials) => string): Scenario {
  return {
    name: `auth: ${name}`,
    concurrency: [1, 8],
    async prepare(env) {
      await prepareCredentials(env);
    },
    baseline: { label: 'GET /healthz (no auth)', job: healthJob },
    candidate: {
      label: `GET /api/v1/models, ${name}`,
      request: (env) => ({
        method: 'GET',
        path: `${env.apiPrefix}/models`,
        headers: { authorization: authorization(env, credentials as Credentials) },
      }),
    },
  };
}

export const authBearerKey = wayIn('Bearer API key', (env) => `Bearer ${env.apiKey}`);
export const authOAuthToken = wayIn('OAuth access token', (_env, c) => `Bearer ${c.oauth}`);
export const authSession = wayIn('session token', (_env, c) => `Bearer ${c.session}`);
export const authBasic = wayIn('Basic password (cached)', (_env, c) => c.basic);
