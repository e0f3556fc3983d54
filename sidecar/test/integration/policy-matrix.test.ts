/**
 * The policy matrix (D-S6): every row of policy-matrix.yaml is one request
 * by a key of the named scopes, with the status and code it must answer.
 * Refused requests must change nothing: no change captured on the exposed
 * models and no webhook created while they ran (nothing else writes then).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse } from 'yaml';
import { sql } from './support/auth.js';
import { createKey, unique, type ScopeSpec } from './support/fixtures.js';
import { admin, api, type ApiResponse } from './support/stack.js';

interface ScopeSet {
  key?: Record<string, unknown>;
  scopes: ScopeSpec[];
}

interface MatrixCase {
  scope: string;
  name: string;
  request: string;
  query?: Record<string, unknown>;
  body?: unknown;
  status: number;
  code?: string;
  /** fields a record of the answer must not hold */
  absent?: string[];
  /** keys the answer's data must not hold (GET /fields) */
  absent_keys?: string[];
  /** `data.count` of a count answer */
  count?: number;
  /** a batch's per-operation [status, code] */
  batch?: Array<[number, string]>;
}

const matrix = parse(readFileSync(join(import.meta.dirname, 'policy-matrix.yaml'), 'utf8')) as { scopes: Record<string, ScopeSet>; cases: MatrixCase[] };

const keys = new Map<string, string>();
const values: Record<string, string | number> = {};

/** `"{in}"` → the in partner's id (a number); `"{tag} x"` → text. */
function substitute(value: unknown): unknown {
  if (typeof value === 'string') {
    const whole = /^\{(\w+)\}$/.exec(value);
    if (whole && whole[1] && whole[1] in values) return values[whole[1]];
    return value.replace(/\{(\w+)\}/g, (match, name: string) => (name in values ? String(values[name]) : match));
  }
  if (Array.isArray(value)) return value.map(substitute);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v)]));
  return value;
}

function url(row: MatrixCase): { method: string; path: string } {
  const [method, path] = row.request.split(' ') as [string, string];
  const query = new URLSearchParams();
  for (const [name, raw] of Object.entries(row.query ?? {})) {
    const value = substitute(raw);
    query.set(name, typeof value === 'string' ? value : JSON.stringify(value));
  }
  const text = query.toString();
  return { method, path: `${substitute(path) as string}${text ? `?${text}` : ''}` };
}

/** What a refused request must leave as it was. */
async function writeMarks(): Promise<string> {
  const [row] = await sql<{ change: string | null; webhooks: string }>(
    'SELECT (SELECT max(id) FROM rest_gateway_change)::text AS change, (SELECT count(*) FROM rest_gateway_webhook)::text AS webhooks',
  );
  return JSON.stringify(row);
}

function records(r: ApiResponse): Array<Record<string, unknown>> {
  const data = r.body?.data;
  return Array.isArray(data) ? data : data ? [data] : [];
}

before(async () => {
  const tag = unique('matrix');
  const rpc = await admin();
  const outEmail = `${tag}-out@example.com`;
  const inId = await rpc.execute<number>('res.partner', 'create', [{ name: `${tag} in`, is_company: true, email: `${tag}-in@example.com`, phone: '+32 2 555 00 00' }]);
  const outUser = await rpc.execute<number>('res.users', 'create', [{ name: `${tag} out`, login: `${tag}-out`, email: outEmail }]);
  const [outUserRow] = await rpc.execute<Array<{ partner_id: [number, string] }>>('res.users', 'read', [[outUser], ['partner_id']]);
  Object.assign(values, { tag, in: inId, out: outUserRow?.partner_id[0] as number, out_user: outUser, out_email: outEmail });
  for (const [name, set] of Object.entries(matrix.scopes)) {
    const { key } = await createKey({ userId: 2, scopes: set.scopes, values: set.key });
    keys.set(name, key);
  }
  // the sidecar learns of new keys through NOTIFY: wait until the last one answers
  for (const key of keys.values()) {
    for (let i = 0; i < 50 && (await api('/models', { key })).status !== 200; i += 1) await new Promise((r) => setTimeout(r, 100));
  }
});

after(async () => {
  await sql("DELETE FROM rest_gateway_webhook WHERE name LIKE $1", [`${values.tag}%`]);
});

describe('policy matrix', () => {
  for (const row of matrix.cases) {
    it(`${row.scope}: ${row.name} → ${row.status}${row.code ? ` ${row.code}` : ''}`, async () => {
      const key = keys.get(row.scope);
      assert.ok(key, `no scope set named ${row.scope}`);
      const { method, path } = url(row);
      const marks = row.status >= 400 ? await writeMarks() : '';
      const r = await api(path, { key, method, body: row.body === undefined ? undefined : substitute(row.body) });
      assert.equal(r.status, row.status, `${method} ${path}: ${r.text}`);
      if (row.code) assert.equal(r.body.code, row.code, r.text);
      if (row.status >= 400) {
        assert.match(r.headers.get('content-type') ?? '', /application\/problem\+json/);
        assert.equal(await writeMarks(), marks, 'a refused request changed something');
      }
      for (const record of records(r)) for (const name of row.absent ?? []) assert.ok(!(name in record), `${name} in ${r.text}`);
      for (const name of row.absent_keys ?? []) assert.ok(!(name in (r.body.data ?? {})), `${name} listed`);
      if (row.count !== undefined) assert.equal(r.body.data.count, row.count, r.text);
      if (row.batch) assert.deepEqual(r.body.data.map((d: { status: number; error?: { code: string } }) => [d.status, d.error?.code]), row.batch);
    });
  }
});
