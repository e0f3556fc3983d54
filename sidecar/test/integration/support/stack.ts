/**
 * Access to the running stack for integration tests: the stack's JSON
 * (STACK_JSON), an HTTP helper for the API, and Odoo's own XML-RPC API as
 * the independent oracle of what a user may see.
 */
import { readFileSync } from 'node:fs';
import xmlrpc from 'xmlrpc';

export interface StackInfo {
  odoo_url: string;
  api_url: string;
  db: string;
  database_url: string;
  odoo_login: string;
  odoo_password: string;
  api_key: string;
  odoo_log?: string;
  sidecar_log?: string;
}

export function loadStack(): StackInfo {
  const path = process.env.STACK_JSON;
  if (!path) throw new Error('STACK_JSON is not set: run integration tests through `npm run test:integration`');
  return JSON.parse(readFileSync(path, 'utf8')) as StackInfo;
}

export const stack = loadStack();

export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export async function api<T = any>(path: string, options: { key?: string | null; method?: string; headers?: Record<string, string>; body?: unknown } = {}): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { ...options.headers };
  const key = options.key === undefined ? stack.api_key : options.key;
  if (key) headers.Authorization = `Bearer ${key}`;
  let body: string | undefined;
  if (options.body !== undefined) {
    body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    headers['Content-Type'] ??= 'application/json';
  }
  const url = path.startsWith('http') ? path : `${stack.api_url}${path}`;
  const response = await fetch(url, { method: options.method ?? 'GET', headers, body });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: response.status, headers: response.headers, body: parsed as T, text };
}

function client(path: string): xmlrpc.Client {
  const url = new URL(stack.odoo_url);
  return xmlrpc.createClient({ host: url.hostname, port: Number(url.port), path, headers: { 'X-Odoo-Database': stack.db } });
}

function call<T>(c: xmlrpc.Client, method: string, params: unknown[]): Promise<T> {
  return new Promise((resolve, reject) => {
    c.methodCall(method, params, (error: unknown, value: unknown) => (error ? reject(error) : resolve(value as T)));
  });
}

/** Odoo's external API, as one user. */
export class OdooRpc {
  private constructor(
    readonly uid: number,
    private readonly password: string,
  ) {}

  static async login(login: string, password: string): Promise<OdooRpc> {
    const uid = await call<number | false>(client('/xmlrpc/2/common'), 'authenticate', [stack.db, login, password, {}]);
    if (!uid) throw new Error(`cannot log in as ${login}`);
    return new OdooRpc(uid, password);
  }

  execute<T = any>(model: string, method: string, args: unknown[] = [], kwargs: Record<string, unknown> = {}): Promise<T> {
    return call<T>(client('/xmlrpc/2/object'), 'execute_kw', [stack.db, this.uid, this.password, model, method, args, kwargs]);
  }
}

let adminRpc: Promise<OdooRpc> | null = null;
export function admin(): Promise<OdooRpc> {
  adminRpc ??= OdooRpc.login(stack.odoo_login, stack.odoo_password);
  return adminRpc;
}

export async function eventually<T>(probe: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (accept(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
}
