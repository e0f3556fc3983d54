/**
 * Idempotency-Key end to end: replay of the first answer (status, Location,
 * body) with `Idempotent-Replayed: true`, 409 for another request under the
 * key and while the first still runs, scoping per credential, 4xx stored
 * and replayed, bad keys, and expiry through the purge job.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createDb, type Db } from '../../src/db/knex.js';
import { purgeIdempotency } from '../../src/jobs/purge-idempotency.js';
import { sql } from './support/auth.js';
import { createCompany, createKey, createUser, exposedModelId, unique } from './support/fixtures.js';
import { admin, api, eventually, stack, type ApiResponse } from './support/stack.js';

const ALL = { allow_read: true, allow_create: true, allow_update: true, allow_delete: true, allow_archive: true, allow_restore: true };

function send(method: string, path: string, idempotencyKey: string | null, body?: unknown, key?: string): Promise<ApiResponse> {
  return api(path, { method, body, key, headers: idempotencyKey === null ? {} : { 'Idempotency-Key': idempotencyKey } });
}

async function count(domain: unknown[]): Promise<number> {
  return (await admin()).execute<number>('res.partner', 'search_count', [domain], { context: { active_test: false } });
}

function expectProblem(r: ApiResponse, status: number, code: string): void {
  assert.equal(r.status, status, r.text);
  assert.equal(r.body.code, code, r.text);
}

describe('idempotency keys', () => {
  let tag: string;
  let db: Db;
  before(async () => {
    tag = unique('idem');
    db = createDb(stack.database_url, 2);
    await exposedModelId('res.partner', { ...ALL, max_batch_size: 100 });
  });
  after(() => db.destroy());

  it('replays the first answer of a retry, and creates once', async () => {
    const key = randomUUID();
    const body = { name: `${tag} once`, email: 'once@example.com' };
    const first = await send('POST', '/res.partner?fields=name,email', key, body);
    assert.equal(first.status, 201, first.text);
    assert.equal(first.headers.get('idempotent-replayed'), null);
    const retry = await send('POST', '/res.partner?fields=name,email', key, { email: 'once@example.com', name: `${tag} once` });
    assert.equal(retry.status, 201, retry.text);
    assert.equal(retry.headers.get('idempotent-replayed'), 'true');
    assert.equal(retry.headers.get('location'), first.headers.get('location'));
    assert.match(retry.headers.get('content-type') ?? '', /application\/json/);
    assert.deepEqual(retry.body, first.body);
    assert.equal(await count([['name', '=', `${tag} once`]]), 1);
  });

  it('answers 409 for another request under the same key', async () => {
    const key = randomUUID();
    assert.equal((await send('POST', '/res.partner', key, { name: `${tag} a` })).status, 201);
    expectProblem(await send('POST', '/res.partner', key, { name: `${tag} b` }), 409, 'idempotency_key_reused');
    expectProblem(await send('POST', '/res.partner?fields=name', key, { name: `${tag} a` }), 409, 'idempotency_key_reused');
    assert.equal(await count([['name', '=', `${tag} b`]]), 0);
  });

  it('answers 409 in progress to a duplicate sent while the first runs', async () => {
    const key = randomUUID();
    const operations = Array.from({ length: 100 }, (_, i) => ({ op: 'create', values: { name: `${tag} slow ${i}` } }));
    const first = send('POST', '/res.partner/batch', key, { atomic: true, operations });
    await eventually(() => sql('SELECT state FROM rest_gateway_idempotency WHERE key = $1', [key]), (rows) => rows.length === 1, 5_000);
    const duplicate = await send('POST', '/res.partner/batch', key, { atomic: true, operations });
    expectProblem(duplicate, 409, 'idempotency_in_progress');
    assert.equal(duplicate.headers.get('retry-after'), '1');
    assert.equal((await first).status, 200);
    const replay = await send('POST', '/res.partner/batch', key, { atomic: true, operations });
    assert.equal(replay.status, 200);
    assert.equal(replay.headers.get('idempotent-replayed'), 'true');
    assert.equal(await count([['name', '=like', `${tag} slow %`]]), 100);
  });

  it('scopes keys per credential', async () => {
    const company = await createCompany(unique('idco'));
    const user = await createUser({ login: unique('iduser'), companyIds: [company], groups: ['base.group_user', 'base.group_partner_manager'] });
    const other = await createKey({ userId: user.id, scopes: [{ model: 'res.partner' }] });
    const key = randomUUID();
    const mine = await send('POST', '/res.partner', key, { name: `${tag} scoped` });
    const theirs = await send('POST', '/res.partner', key, { name: `${tag} scoped` }, other.key);
    assert.equal(mine.status, 201, mine.text);
    assert.equal(theirs.status, 201, theirs.text);
    assert.equal(theirs.headers.get('idempotent-replayed'), null);
    assert.notEqual(theirs.body.data.id, mine.body.data.id);
    assert.equal(await count([['name', '=', `${tag} scoped`]]), 2);
  });

  it('stores and replays a client error; PATCH and DELETE take keys too', async () => {
    const key = randomUUID();
    const bad = await send('POST', '/res.partner', key, { name: `${tag} bad`, nope: 1 });
    expectProblem(bad, 400, 'unknown_field');
    const again = await send('POST', '/res.partner', key, { name: `${tag} bad`, nope: 1 });
    expectProblem(again, 400, 'unknown_field');
    assert.equal(again.headers.get('idempotent-replayed'), 'true');
    assert.match(again.headers.get('content-type') ?? '', /application\/problem\+json/);
    const [id] = await (await admin()).execute<number[]>('res.partner', 'create', [[{ name: `${tag} del` }]]);
    const patchKey = randomUUID();
    assert.equal((await send('PATCH', `/res.partner/${id}`, patchKey, { email: 'p@example.com' })).status, 200);
    assert.equal((await send('PATCH', `/res.partner/${id}`, patchKey, { email: 'p@example.com' })).headers.get('idempotent-replayed'), 'true');
    const deleteKey = randomUUID();
    assert.equal((await send('DELETE', `/res.partner/${id}?force=true`, deleteKey)).status, 204);
    const replayed = await send('DELETE', `/res.partner/${id}?force=true`, deleteKey);
    assert.equal(replayed.status, 204, 'not the 404 a second delete would answer');
    assert.equal(replayed.headers.get('idempotent-replayed'), 'true');
  });

  it('ignores the header on reads', async () => {
    const r = await send('GET', '/res.partner?limit=1', 'anything');
    assert.equal(r.status, 200);
    assert.equal((await sql('SELECT 1 FROM rest_gateway_idempotency WHERE key = $1', ['anything'])).length, 0);
  });

  for (const [label, value] of [['empty', ''], ['too long', 'k'.repeat(256)], ['with a control character', 'a\tb']] as const) {
    it(`refuses a key ${label} with 400 and runs nothing`, async () => {
      const r = await send('POST', '/res.partner', value, { name: `${tag} badkey` });
      expectProblem(r, 400, 'invalid_idempotency_key');
      assert.equal(await count([['name', '=', `${tag} badkey`]]), 0);
    });
  }

  it('expires keys: the purge job deletes them, and an expired key runs again', async () => {
    const key = randomUUID();
    assert.equal((await send('POST', '/res.partner', key, { name: `${tag} exp` })).status, 201);
    await sql("UPDATE rest_gateway_idempotency SET expires_at = (now() AT TIME ZONE 'UTC') - interval '1 hour' WHERE key = $1", [key]);
    const rerun = await send('POST', '/res.partner', key, { name: `${tag} exp` });
    assert.equal(rerun.status, 201, 'an expired key not purged yet is taken over');
    assert.equal(rerun.headers.get('idempotent-replayed'), null);
    await sql("UPDATE rest_gateway_idempotency SET expires_at = (now() AT TIME ZONE 'UTC') - interval '1 hour' WHERE key = $1", [key]);
    const result = await purgeIdempotency(db);
    assert.ok(result.deleted >= 1, JSON.stringify(result));
    assert.equal((await sql('SELECT 1 FROM rest_gateway_idempotency WHERE key = $1', [key])).length, 0);
    assert.equal(await count([['name', '=', `${tag} exp`]]), 2);
  });

  it('keeps keys for the retention the admin sets', async () => {
    await (await admin()).execute('ir.config_parameter', 'set_param', ['rest_gateway.idempotency_retention_hours', '2']);
    try {
      const key = randomUUID();
      await send('POST', '/res.partner', key, { name: `${tag} ret` });
      const [row] = await sql<{ hours: number }>('SELECT extract(epoch FROM expires_at - created_at) / 3600 AS hours FROM rest_gateway_idempotency WHERE key = $1', [key]);
      assert.equal(Math.round(Number(row?.hours)), 2);
    } finally {
      await (await admin()).execute('ir.config_parameter', 'set_param', ['rest_gateway.idempotency_retention_hours', '24']);
    }
  });
});
