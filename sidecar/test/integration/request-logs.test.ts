/**
 * The request log against the real stack (D-L2): a row for every kind of
 * request with its route, operation, credential and timings, no secret in
 * any row (auth routes included), the log modes, the hourly statistics,
 * the admin clear route, nothing lost when a sidecar is stopped with
 * SIGTERM, and the chunked retention purge on a million rows.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { createDb, type Db } from '../../src/db/knex.js';
import { insertRequestLogBatch, type RequestLogEntry } from '../../src/db/request-logs.js';
import { purgeRequestLogs } from '../../src/jobs/purge-request-logs.js';
import { adminToken, createOAuthClient, formPost, login, relaxLoginCooldown, setParam, sleep, sql } from './support/auth.js';
import { createKey, createUser, unique } from './support/fixtures.js';
import { startSidecar, stopSidecars } from './support/sidecar-process.js';
import { api, eventually, stack } from './support/stack.js';

const MODE_PARAM = 'rest_gateway.request_log_mode';

interface LogRow {
  request_id: string;
  method: string;
  path: string;
  endpoint: string;
  operation: string | null;
  model: string | null;
  auth_kind: string | null;
  user_id: number | null;
  key_id: number | null;
  client_id: number | null;
  client_address: string | null;
  origin: string | null;
  user_agent: string | null;
  status: number;
  status_class: string;
  duration_ms: number;
  odoo_ms: number;
  error_code: string | null;
  error_message: string | null;
  request_size: number | null;
  response_size: number | null;
  request_summary: string | null;
  response_summary: string | null;
  row_text: string;
}

/** Sends a request with a fresh X-Request-ID and answers it with the response. */
async function traced(path: string, options: Parameters<typeof api>[1] = {}): Promise<{ id: string; status: number; body: any; text: string }> {
  const id = `log-${randomUUID()}`;
  const r = await api(path, { ...options, headers: { ...options.headers, 'X-Request-ID': id, 'User-Agent': 'request-log-test', Origin: 'https://app.example.com' } });
  return { id, status: r.status, body: r.body, text: r.text };
}

async function logRows(ids: string[]): Promise<LogRow[]> {
  return sql<LogRow>('SELECT l.*, l::text AS row_text FROM rest_gateway_request_log AS l WHERE request_id = ANY($1)', [ids]);
}

/** The rows of `ids` once every one is written (the writer flushes every second). */
async function awaitRows(ids: string[], timeoutMs = 6_000): Promise<Map<string, LogRow>> {
  const rows = await eventually(() => logRows(ids), (found) => found.length >= ids.length, timeoutMs);
  return new Map(rows.map((row) => [row.request_id, row]));
}

async function setMode(mode: string): Promise<void> {
  await setParam(MODE_PARAM, mode);
  await sleep(800); // the sidecar reloads its configuration on NOTIFY
}

function assertNoSecret(row: LogRow, secrets: string[]): void {
  for (const secret of secrets) assert.ok(!row.row_text.includes(secret), `a secret leaked into the log row of ${row.path}: ${row.row_text}`);
}

before(async () => {
  await relaxLoginCooldown();
  await setMode('all');
});

after(async () => {
  await setParam(MODE_PARAM, 'all');
});

describe('a log row for every kind of request', () => {
  it('records record routes, errors and auth routes with their route, credential and timings, and no secret', async () => {
    const secrets: string[] = [stack.api_key];
    const startedAt = new Date(Date.now() - 1_000);
    const tag = unique('log');
    const rows: Record<string, { id: string; status: number; body?: any }> = {};

    rows.list = await traced('/res.partner?limit=2&fields=name');
    // a credential in the URL is refused (400 unknown_parameter), and still redacted in the log
    rows.tokenInUrl = await traced('/res.partner?limit=2&fields=name&access_token=query-secret-value');
    secrets.push('query-secret-value');
    rows.create = await traced('/res.partner', { method: 'POST', body: { name: `${tag} created`, comment: 'hello' } });
    const partnerId = rows.create!.body.data.id as number;
    rows.read = await traced(`/res.partner/${partnerId}`);
    rows.update = await traced(`/res.partner/${partnerId}`, { method: 'PATCH', body: { email: 'log@example.com' } });
    rows.batch = await traced('/res.partner/batch', { method: 'POST', body: { operations: [{ op: 'update', id: partnerId, values: { phone: '123' } }] } });
    rows.delete = await traced(`/res.partner/${partnerId}`, { method: 'DELETE' });
    rows.badRequest = await traced('/res.partner?limit=abc');
    rows.badJson = await traced('/res.partner', { method: 'POST', body: '{"name": ', headers: { 'Content-Type': 'application/json' } });
    rows.unauthorized = await traced('/res.partner', { key: 'rgw_not_a_real_key_at_all' });
    secrets.push('rgw_not_a_real_key_at_all');
    const readOnly = await createKey({ userId: 2, scopes: [{ model: 'res.partner', toggles: { create: false } }] });
    secrets.push(readOnly.key);
    await eventually(() => api('/res.partner/count', { key: readOnly.key }), (r) => r.status === 200);
    rows.forbidden = await traced('/res.partner', { key: readOnly.key, method: 'POST', body: { name: `${tag} refused` } });
    rows.notFound = await traced('/no.such.model/1');
    rows.noRoute = await traced('/does/not/exist/anywhere', { key: null });
    const limited = await createKey({ userId: 2, scopes: [{ model: 'res.partner' }], values: { rate_limit: 1 } });
    secrets.push(limited.key);
    // until refused: a new minute may give the key its one request back
    for (let i = 0; i < 5; i += 1) {
      rows.tooMany = await traced('/res.partner/count', { key: limited.key });
      if (rows.tooMany.status === 429) break;
    }

    // authentication routes: every one carries a secret one way or the other
    const user = await createUser({ login: unique('logger'), companyIds: [1] });
    secrets.push(user.password);
    rows.login = await traced('/auth/login', { key: null, method: 'POST', body: { login: user.login, password: user.password } });
    const session = rows.login!.body.data.token as string;
    secrets.push(session);
    rows.badLogin = await traced('/auth/login', { key: null, method: 'POST', body: { login: user.login, password: `${user.password}-wrong` } });
    const newPassword = `${user.password}-new`;
    secrets.push(newPassword);
    rows.changePassword = await traced('/auth/password', { key: session, method: 'POST', body: { old_password: user.password, new_password: newPassword } });
    const manager = await adminToken();
    secrets.push(manager);
    rows.createKey = await traced('/auth/api-key', { key: manager, method: 'POST', body: { name: `${tag} key`, scopes: [{ model: 'res.partner' }] } });
    secrets.push(rows.createKey!.body.data.key as string);
    rows.adminCreateKey = await traced('/admin/keys', { key: manager, method: 'POST', body: { name: `${tag} admin key`, scopes: [{ model: 'res.partner' }] } });
    secrets.push(rows.adminCreateKey!.body.data.key as string);
    const client = await createOAuthClient({ scopes: [{ model: 'res.partner', operations: ['read'] }] });
    secrets.push(client.secret);
    const tokenId = `log-${randomUUID()}`;
    const token = await formPost('/oauth/token', { grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.secret }, { 'X-Request-ID': tokenId });
    assert.equal(token.status, 200, token.text);
    rows.oauthToken = { id: tokenId, status: 200 };
    secrets.push(token.body.access_token as string);
    rows.oauthRead = await traced('/res.partner?limit=1', { key: token.body.access_token as string });

    const ids = Object.values(rows).map((r) => r.id);
    const logged = await awaitRows(ids);
    assert.equal(logged.size, ids.length, `missing rows: ${Object.entries(rows).filter(([, r]) => !logged.has(r.id)).map(([k]) => k).join(', ')}`);
    const row = (name: string): LogRow => logged.get(rows[name]!.id)!;

    for (const [name, sent] of Object.entries(rows)) {
      const entry = logged.get(sent.id)!;
      assert.equal(entry.status, sent.status, `${name}: status`);
      assert.equal(entry.status_class, `${Math.floor(sent.status / 100)}xx`, `${name}: status class`);
      assert.ok(entry.duration_ms > 0, `${name}: duration`);
      assert.ok(entry.odoo_ms <= entry.duration_ms, `${name}: time in Odoo within the total`);
      assert.equal(entry.client_address, '127.0.0.1', `${name}: client address`);
      if (name !== 'oauthToken') {
        assert.equal(entry.user_agent, 'request-log-test', `${name}: user agent`);
        assert.equal(entry.origin, 'https://app.example.com', `${name}: origin`);
      }
      if (sent.status >= 400) assert.ok(entry.error_code, `${name}: error code`);
      assertNoSecret(entry, secrets);
    }

    assert.deepEqual(
      [row('list').endpoint, row('list').operation, row('list').model, row('list').auth_kind, row('list').user_id],
      ['GET /api/v1/:model', 'listRecords', 'res.partner', 'api_key', 2],
    );
    assert.ok(row('list').key_id, 'the API key');
    assert.match(row('tokenInUrl').path, /access_token=\[REDACTED\]/);
    assert.equal(row('tokenInUrl').error_code, 'unknown_parameter');
    assert.ok(row('list').odoo_ms > 0, 'a list waits for Odoo');
    assert.ok(row('list').response_size! > 0);
    assert.deepEqual([row('read').endpoint, row('read').operation], ['GET /api/v1/:model/:id', 'readRecord']);
    assert.deepEqual([row('create').endpoint, row('create').operation, row('create').status], ['POST /api/v1/:model', 'createRecord', 201]);
    assert.ok(row('create').request_summary?.includes(`${tag} created`), 'the request body');
    assert.ok(row('create').request_size! > 0);
    assert.equal(row('update').operation, 'updateRecord');
    assert.equal(row('delete').operation, 'deleteRecord');
    assert.equal(row('batch').endpoint, 'POST /api/v1/:model/batch');
    assert.equal(row('badRequest').status, 400);
    assert.equal(row('badJson').error_code, 'invalid_json');
    assert.equal(row('unauthorized').status, 401);
    assert.equal(row('unauthorized').key_id, null);
    assert.equal(row('forbidden').status, 403);
    assert.ok(row('forbidden').error_message, 'the problem detail');
    assert.deepEqual([row('notFound').status, row('notFound').model], [404, 'no.such.model']);
    assert.deepEqual([row('noRoute').status, row('noRoute').endpoint, row('noRoute').operation], [404, 'GET (no route)', null]);
    assert.deepEqual([row('tooMany').status, row('tooMany').error_code], [429, 'rate_limited']);
    assert.deepEqual([row('oauthRead').auth_kind, row('oauthRead').client_id], ['oauth', client.id]);
    assert.equal(row('oauthToken').operation, 'oauthToken');
    assert.deepEqual([row('oauthToken').auth_kind, row('oauthToken').client_id], ['oauth', client.id]);
    assert.deepEqual([row('login').auth_kind, row('login').user_id], ['session', user.id]);
    assert.equal(row('badLogin').user_id, null);
    assert.equal(row('oauthToken').request_summary, null, 'form bodies are not summarized');
    assert.match(row('list').response_summary ?? '', /^\{"data":\["… 2 more"\]/, 'a list answer is summarized by its length');
    assert.match(row('login').request_summary ?? '', /"password":"\[REDACTED\]"/);
    assert.match(row('login').response_summary ?? '', /"token":"\[REDACTED\]"/);
    assert.match(row('changePassword').request_summary ?? '', /"old_password":"\[REDACTED\]","new_password":"\[REDACTED\]"/);
    assert.deepEqual([row('changePassword').auth_kind, row('changePassword').user_id], ['session', user.id]);
    assert.match(row('createKey').response_summary ?? '', /"key":"\[REDACTED\]"/);
    assert.match(row('adminCreateKey').response_summary ?? '', /"key":"\[REDACTED\]"/);
    assert.equal(row('badLogin').status, 401);

    // and no row written meanwhile holds a secret: the fixtures' own calls (an OAuth client's creation) included
    const everything = await sql<{ row_text: string }>('SELECT l::text AS row_text FROM rest_gateway_request_log AS l WHERE logged_at >= $1', [startedAt]);
    assert.ok(everything.length >= ids.length);
    for (const entry of everything) assertNoSecret(entry as LogRow, secrets);
  });

  it('does not log health probes', async () => {
    const id = `log-${randomUUID()}`;
    await fetch(new URL('/healthz', stack.api_url), { headers: { 'X-Request-ID': id } });
    await sleep(1_500);
    assert.equal((await logRows([id])).length, 0);
  });
});

describe('log modes', () => {
  after(async () => {
    await setMode('all');
  });

  /** A fresh key (its own statistics bucket), a success and an error with it. */
  async function successAndError(): Promise<{ keyId: number; ok: string; error: string }> {
    const { id: keyId, key } = await createKey({ userId: 2, scopes: [{ model: 'res.partner' }] });
    await eventually(() => api('/res.partner/count', { key }), (r) => r.status === 200);
    const ok = await traced('/res.partner/count', { key });
    const error = await traced('/res.partner/999999999', { key });
    assert.deepEqual([ok.status, error.status], [200, 404]);
    return { keyId, ok: ok.id, error: error.id };
  }

  async function counted(keyId: number): Promise<number> {
    const [row] = await sql<{ n: number }>('SELECT coalesce(sum(request_count), 0)::int AS n FROM rest_gateway_request_stat WHERE key_id = $1', [keyId]);
    return row?.n ?? 0;
  }

  it('errors: only failures are logged, successes are still counted', async () => {
    await setMode('errors');
    const sent = await successAndError();
    await awaitRows([sent.error]);
    await eventually(() => counted(sent.keyId), (n) => n >= 3);
    assert.deepEqual((await logRows([sent.ok, sent.error])).map((r) => r.status), [404]);
    assert.ok((await counted(sent.keyId)) >= 3, 'the probe, the success and the error are counted');
  });

  it('successes: only successes are logged', async () => {
    await setMode('successes');
    const sent = await successAndError();
    await awaitRows([sent.ok]);
    await sleep(1_200);
    assert.deepEqual((await logRows([sent.ok, sent.error])).map((r) => r.status), [200]);
    assert.ok((await counted(sent.keyId)) >= 3);
  });

  it('off: nothing is logged or counted', async () => {
    await setMode('off');
    const sent = await successAndError();
    await sleep(1_500);
    assert.equal((await logRows([sent.ok, sent.error])).length, 0);
    assert.equal(await counted(sent.keyId), 0);
  });

  it('all: everything is logged again', async () => {
    await setMode('all');
    const sent = await successAndError();
    const rows = await awaitRows([sent.ok, sent.error]);
    assert.equal(rows.size, 2);
  });
});

describe('hourly statistics', () => {
  it('count requests and errors per hour, endpoint, key and status, with durations', async () => {
    const { id: keyId, key } = await createKey({ userId: 2, scopes: [{ model: 'res.partner' }] });
    await eventually(() => api('/res.partner/count', { key }), (r) => r.status === 200);
    for (let i = 0; i < 4; i += 1) assert.equal((await api('/res.partner?limit=1', { key })).status, 200);
    for (let i = 0; i < 2; i += 1) assert.equal((await api('/res.partner/999999999', { key })).status, 404);
    type StatRow = { endpoint: string; model: string; status: number; request_count: number; error_count: number; duration_sum_ms: number; duration_max_ms: number; odoo_ms_sum: number; hour: Date; bucket: string };
    const stats = await eventually(
      () => sql<StatRow>('SELECT * FROM rest_gateway_request_stat WHERE key_id = $1 ORDER BY endpoint, status', [keyId]),
      (rows) => rows.filter((r) => r.endpoint === 'GET /api/v1/:model/:id').reduce((n, r) => n + r.request_count, 0) >= 2,
    );
    const list = stats.find((r) => r.endpoint === 'GET /api/v1/:model' && r.status === 200)!;
    const missing = stats.find((r) => r.endpoint === 'GET /api/v1/:model/:id' && r.status === 404)!;
    assert.deepEqual([list.request_count, list.error_count, list.model], [4, 0, 'res.partner']);
    assert.deepEqual([missing.request_count, missing.error_count], [2, 2]);
    assert.ok(list.duration_sum_ms >= list.duration_max_ms && list.duration_max_ms > 0);
    assert.ok(list.odoo_ms_sum > 0);
    assert.equal(list.hour.getUTCMinutes(), 0);
    assert.equal(list.bucket, `GET /api/v1/:model|res.partner|${keyId}||200`);
  });
});

describe('DELETE /admin/request-logs', () => {
  it('is refused to a user who is not a REST Gateway manager, and to an API key; nothing is removed', async () => {
    await relaxLoginCooldown();
    const user = await createUser({ login: unique('notmanager'), companyIds: [1], groups: ['base.group_user', 'rest_gateway.group_user'] });
    const { token } = await login(user.login, user.password);
    const before = (await sql<{ n: number }>('SELECT count(*)::int AS n FROM rest_gateway_request_log'))[0]!.n;
    const refused = await api('/admin/request-logs', { key: token, method: 'DELETE' });
    assert.equal(refused.status, 403, refused.text);
    assert.equal(refused.body.code, 'manager_required');
    const byKey = await api('/admin/request-logs', { method: 'DELETE' });
    assert.equal(byKey.status, 403);
    const anonymous = await api('/admin/request-logs', { key: null, method: 'DELETE' });
    assert.equal(anonymous.status, 401);
    const after = (await sql<{ n: number }>('SELECT count(*)::int AS n FROM rest_gateway_request_log'))[0]!.n;
    assert.ok(after >= before, 'nothing removed');
  });

  it('answers 400 to unexpected query parameters and hostile input, removing nothing', async () => {
    const manager = await adminToken();
    await awaitRows([(await traced('/models')).id]);
    for (const path of ['/admin/request-logs?older_than=1', "/admin/request-logs?x='; DROP TABLE rest_gateway_request_log; --", `/admin/request-logs?${'a'.repeat(5000)}=1`]) {
      const r = await api(path, { key: manager, method: 'DELETE' });
      assert.equal(r.status, 400, `${path.slice(0, 60)}: ${r.text}`);
      assert.match(r.headers.get('content-type') ?? '', /application\/problem\+json/);
    }
    assert.ok((await sql<{ n: number }>('SELECT count(*)::int AS n FROM rest_gateway_request_log'))[0]!.n > 0);
  });

  it('removes every row for a manager and answers how many, keeping the statistics', async () => {
    const manager = await adminToken();
    await awaitRows([(await traced('/models')).id]);
    const [{ n: statsBefore }] = (await sql<{ n: number }>('SELECT count(*)::int AS n FROM rest_gateway_request_stat')) as [{ n: number }];
    const startedAt = new Date();
    const cleared = await traced('/admin/request-logs', { key: manager, method: 'DELETE' });
    assert.equal(cleared.status, 200, cleared.text);
    assert.ok(Number.isInteger(cleared.body.data.deleted) && cleared.body.data.deleted > 0);
    // only what arrived after the clear is left: the clear request itself, written after it answered
    await awaitRows([cleared.id]);
    const left = await sql<{ request_id: string; logged_at: Date }>('SELECT request_id, logged_at FROM rest_gateway_request_log');
    assert.ok(left.every((r) => r.logged_at >= new Date(startedAt.getTime() - 1_000)), 'no older row left');
    assert.ok(left.some((r) => r.request_id === cleared.id));
    const [{ n: statsAfter }] = (await sql<{ n: number }>('SELECT count(*)::int AS n FROM rest_gateway_request_stat')) as [{ n: number }];
    assert.ok(statsAfter >= statsBefore, 'statistics are kept');
  });
});

describe('shutdown', () => {
  after(stopSidecars);

  it('writes every request answered before SIGTERM', async () => {
    const child = await startSidecar({ env: { SHUTDOWN_DRAIN_MS: '0' } });
    const second = child.origin;
    const ids = Array.from({ length: 40 }, () => `sigterm-${randomUUID()}`);
    const answers = ids.map((id, i) =>
      fetch(`${second}/api/v1/${i % 2 ? 'res.partner/count' : 'models'}`, { headers: { Authorization: `Bearer ${stack.api_key}`, 'X-Request-ID': id } }).then(
        (r) => r.status,
        () => 0,
      ),
    );
    await sleep(30);
    const exited = child.stop('SIGTERM');
    const statuses = await Promise.all(answers);
    const code = await exited;
    assert.equal(code, 0, 'a clean exit');
    const answered = ids.filter((_, i) => statuses[i] === 200);
    assert.ok(answered.length > 0, `statuses: ${statuses.join(',')}`);
    // the process is gone: whatever it answered must already be in the table
    const rows = await logRows(ids);
    assert.deepEqual(new Set(rows.map((r) => r.request_id)), new Set(answered));
  });
});

describe('retention purge', () => {
  let db: Db;
  before(() => {
    db = createDb(stack.database_url, 4);
  });
  after(async () => {
    await db.destroy();
  });

  it('deletes a million expired rows in short chunks without blocking inserts, and keeps recent rows', async () => {
    await setParam('rest_gateway.request_log_retention_days', '30');
    await setParam('rest_gateway.request_stat_retention_days', '400');
    const started = performance.now();
    await sql(
      `INSERT INTO rest_gateway_request_log (logged_at, request_id, method, path, endpoint, status, status_class, duration_ms, odoo_ms)
       SELECT (now() AT TIME ZONE 'UTC') - interval '31 days' - n * interval '1 second', NULL, 'GET',
              '/api/v1/res.partner', 'GET /api/v1/:model', 200, '2xx', 1, 0
         FROM generate_series(1, 1000000) AS n`,
    );
    await sql(
      `INSERT INTO rest_gateway_request_stat (hour, bucket, endpoint, method, status, status_class, request_count, error_count, duration_sum_ms, duration_max_ms, odoo_ms_sum)
       SELECT date_trunc('hour', now() AT TIME ZONE 'UTC') - interval '401 days' - n * interval '1 hour', 'expired|' || n,
              'GET /api/v1/:model', 'GET', 200, '2xx', 1, 0, 1, 1, 0
         FROM generate_series(1, 2000) AS n`,
    );
    const fresh = `fresh-${randomUUID()}`;
    await sql(
      `INSERT INTO rest_gateway_request_log (logged_at, request_id, method, path, endpoint, status, status_class)
       VALUES ((now() AT TIME ZONE 'UTC') - interval '29 days', $1, 'GET', '/x', 'GET (no route)', 404, '4xx')`,
      [fresh],
    );
    // rows a month old were vacuumed long ago: without this the first chunks
    // would measure setting the hint bits of a million fresh rows, not the purge
    await sql('VACUUM (ANALYZE) rest_gateway_request_log');
    const generatedMs = performance.now() - started;

    // meanwhile, the writer's statement keeps inserting: none may wait long
    const insertLatencies: number[] = [];
    let purging = true;
    const writer = (async () => {
      let n = 0;
      while (purging) {
        const entry: RequestLogEntry = {
          loggedAt: new Date(), requestId: `during-purge-${n++}`, method: 'GET', path: '/api/v1/models', endpoint: 'GET /api/v1/models', operation: 'listModels',
          model: null, authKind: null, userId: null, keyId: null, clientId: null, clientAddress: '127.0.0.1', origin: null, userAgent: null, status: 200,
          durationMs: 1, odooMs: 0, errorCode: null, errorMessage: null, requestSize: null, responseSize: null, requestSummary: null, responseSummary: null, logged: true,
        };
        const t = performance.now();
        await insertRequestLogBatch(db, [entry]);
        insertLatencies.push(performance.now() - t);
        await sleep(20);
      }
    })();

    const chunkMs: number[] = [];
    const result = await purgeRequestLogs(db, { onChunk: (_table, _deleted, ms) => chunkMs.push(ms) });
    purging = false;
    await writer;

    assert.equal(result.skipped, false);
    assert.ok(result.logsDeleted >= 1_000_000, `${result.logsDeleted} deleted`);
    assert.ok(result.statsDeleted >= 2_000, `${result.statsDeleted} statistics deleted`);
    assert.ok(result.chunks >= 200, `${result.chunks} chunks`);
    const [{ left }] = (await sql<{ left: number }>("SELECT count(*)::int AS left FROM rest_gateway_request_log WHERE logged_at < (now() AT TIME ZONE 'UTC') - interval '30 days'")) as [{ left: number }];
    assert.equal(left, 0);
    assert.equal((await logRows([fresh])).length, 1, 'a row younger than the retention stays');
    const [{ stats }] = (await sql<{ stats: number }>("SELECT count(*)::int AS stats FROM rest_gateway_request_stat WHERE bucket LIKE 'expired|%'")) as [{ stats: number }];
    assert.equal(stats, 0);
    const longestChunk = Math.max(...chunkMs);
    const slowestInsert = Math.max(...insertLatencies);
    process.stdout.write(
      `# generated and vacuumed 1,000,000 rows in ${(generatedMs / 1000).toFixed(1)} s; purged in ${result.chunks} chunks, longest ${longestChunk.toFixed(0)} ms; ` +
        `${insertLatencies.length} concurrent inserts, slowest ${slowestInsert.toFixed(0)} ms\n`,
    );
    assert.ok(longestChunk < 1_000, `the longest chunk held its lock ${longestChunk.toFixed(0)} ms`);
    assert.ok(insertLatencies.length > 10 && slowestInsert < 1_000, `an insert waited ${slowestInsert.toFixed(0)} ms`);
  });

  it('lets one sidecar purge at a time', async () => {
    const holder = new pg.Client({ connectionString: stack.database_url });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT pg_advisory_xact_lock($1)', [0x5247574c]);
      const result = await purgeRequestLogs(db, { logOlderThanSeconds: 1, statOlderThanSeconds: 1 });
      assert.equal(result.skipped, true);
      assert.equal(result.logsDeleted, 0);
    } finally {
      await holder.query('ROLLBACK');
      await holder.end();
    }
  });
});
