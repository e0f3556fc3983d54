/**
 * Idempotency-Key when the write's answer is lost: a sidecar with a tiny
 * ODOO_TIMEOUT_MS gives up on a write that Odoo (slowed by a trigger) still
 * commits. The retry answers 409 while the outcome is unknown, then the
 * replay of the write Odoo recorded, and the record exists once (XML-RPC);
 * a write that Odoo rolled back becomes retryable once its lease has passed.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { sql } from './support/auth.js';
import { exposedModelId, unique } from './support/fixtures.js';
import { startSidecar, stopSidecars, type SidecarProcess } from './support/sidecar-process.js';
import { admin, api, eventually, type ApiResponse } from './support/stack.js';

/** The spawned sidecar's bridge timeout; its claims' lease is 2 × this + 1 s = 3 s. */
const TIMEOUT_MS = 1_000;
const ODOO_SLEEP_S = 6;

const ALL = { allow_read: true, allow_create: true, allow_update: true, allow_delete: true, allow_archive: true, allow_restore: true };

async function count(name: string): Promise<number> {
  return (await admin()).execute<number>('res.partner', 'search_count', [[['name', '=', name]]], { context: { active_test: false } });
}

function expectProblem(r: ApiResponse, status: number, code: string): void {
  assert.equal(r.status, status, r.text);
  assert.equal(r.body.code, code, r.text);
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('idempotency keys when the outcome of a write is unknown', () => {
  let sidecar: SidecarProcess;
  let tag: string;
  const trigger = `rgw_test_slow_${randomUUID().replaceAll('-', '').slice(0, 12)}`;

  /** Partners named `<prefix>…` take ODOO_SLEEP_S to insert; with `fail`, the insert then fails (Odoo rolls back). */
  async function slowInserts(prefix: string, fail: boolean): Promise<void> {
    await sql(`CREATE OR REPLACE FUNCTION ${trigger}() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.name LIKE '${prefix}%' THEN
          PERFORM pg_sleep(${ODOO_SLEEP_S});
          ${fail ? "RAISE EXCEPTION 'slow and failing';" : ''}
        END IF;
        RETURN NEW;
      END $$`);
    await sql(`DROP TRIGGER IF EXISTS ${trigger} ON res_partner`);
    await sql(`CREATE TRIGGER ${trigger} BEFORE INSERT ON res_partner FOR EACH ROW EXECUTE FUNCTION ${trigger}()`);
  }

  async function dropTrigger(): Promise<void> {
    await sql(`DROP TRIGGER IF EXISTS ${trigger} ON res_partner`);
  }

  function post(key: string, body: unknown): Promise<ApiResponse> {
    return api(`${sidecar.origin}/api/v1/res.partner?fields=name`, { method: 'POST', body, headers: { 'Idempotency-Key': key } });
  }

  before(async () => {
    tag = unique('idout');
    await exposedModelId('res.partner', ALL);
    sidecar = await startSidecar({ env: { ODOO_TIMEOUT_MS: String(TIMEOUT_MS) } });
    // warm the credential and field caches, so that only the write is slow
    const warm = await api(`${sidecar.origin}/api/v1/res.partner?limit=1&fields=name`);
    assert.equal(warm.status, 200, warm.text);
  });
  after(async () => {
    await dropTrigger();
    await stopSidecars();
  });

  it('answers 409 while Odoo still runs the write, then replays what Odoo committed, and creates once', async () => {
    const name = `${tag} committed`;
    await slowInserts(name, false);
    try {
      const key = randomUUID();
      const started = Date.now();
      const first = await post(key, { name });
      expectProblem(first, 503, 'odoo_unavailable');
      assert.match(first.body.detail, /may have been applied/);
      const [claim] = await sql<{ state: string }>('SELECT state FROM rest_gateway_idempotency WHERE key = $1', [key]);
      assert.equal(claim?.state, 'in_progress', 'an unknown outcome stays claimed (it used to be released)');

      // within the lease
      expectProblem(await post(key, { name }), 409, 'idempotency_in_progress');
      // past the lease (3 s), while Odoo's transaction still holds the claim's row
      await sleep(Math.max(0, started + 3_600 - Date.now()));
      assert.ok(Date.now() - started < ODOO_SLEEP_S * 1000 - 500, 'still inside Odoo\'s sleep');
      const late = await post(key, { name });
      expectProblem(late, 409, 'idempotency_in_progress');

      // Odoo commits the partner and, in the same transaction, the bridge answer on the claim
      const recorded = await eventually(() => sql<{ state: string }>('SELECT state FROM rest_gateway_idempotency WHERE key = $1', [key]), (rows) => rows[0]?.state === 'committed', 15_000);
      assert.equal(recorded[0]?.state, 'committed');
      const replay = await post(key, { name });
      assert.equal(replay.status, 201, replay.text);
      assert.equal(replay.headers.get('idempotent-replayed'), 'true');
      assert.equal(replay.body.data.name, name);
      const ids = await (await admin()).execute<number[]>('res.partner', 'search', [[['name', '=', name]]]);
      assert.deepEqual(ids, [replay.body.data.id], 'the record was created once');
      assert.equal(replay.headers.get('location'), `/api/v1/res.partner/${ids[0]}`);

      const again = await post(key, { name });
      assert.equal(again.status, 201);
      assert.equal(again.headers.get('idempotent-replayed'), 'true');
      assert.deepEqual(again.body, replay.body);
      assert.equal(await count(name), 1);
    } finally {
      await dropTrigger();
    }
  });

  it('lets a retry run again once Odoo rolled the write back and the lease has passed', async () => {
    const name = `${tag} rolled back`;
    await slowInserts(name, true);
    const key = randomUUID();
    const started = Date.now();
    try {
      expectProblem(await post(key, { name }), 503, 'odoo_unavailable');
      expectProblem(await post(key, { name }), 409, 'idempotency_in_progress');
    } finally {
      await dropTrigger();
    }
    // Odoo's transaction ends (rolled back, nothing recorded); the claim's lease has passed by then
    await sleep(Math.max(0, started + ODOO_SLEEP_S * 1000 + 500 - Date.now()));
    const [claim] = await sql<{ state: string }>('SELECT state FROM rest_gateway_idempotency WHERE key = $1', [key]);
    assert.equal(claim?.state, 'in_progress', 'nothing was recorded');
    assert.equal(await count(name), 0);
    const retry = await post(key, { name });
    assert.equal(retry.status, 201, retry.text);
    assert.equal(retry.headers.get('idempotent-replayed'), null);
    assert.equal(await count(name), 1);
    const replay = await post(key, { name });
    assert.equal(replay.headers.get('idempotent-replayed'), 'true');
    assert.deepEqual(replay.body, retry.body);
  });
});
