/**
 * The change feed end to end: changes made outside the API (Odoo's XML-RPC,
 * raw SQL) appear, field rules and scope domains apply, deletions and
 * records leaving the scope come back as deleted ids (of records served
 * before: change-feed-tombstones.test.ts), cursors page, expire
 * after a purge, and no change is missed when transactions commit out of
 * order while a client polls (support/commit-race.ts).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createDb, type Db } from '../../src/db/knex.js';
import { purgeChanges } from '../../src/jobs/purge-changes.js';
import { runCommitRace } from './support/commit-race.js';
import { connectPg, drain, feed, freshCursor, sleep } from './support/feed.js';
import { createKey, unique } from './support/fixtures.js';
import { admin, stack } from './support/stack.js';

let db: Db;
before(() => {
  db = createDb(stack.database_url, 2);
});
after(() => db.destroy());

async function changeRowCount(ids: number[]): Promise<number> {
  const r = await db.raw<{ rows: Array<{ n: number }> }>(
    "SELECT count(*)::int AS n FROM rest_gateway_change WHERE model = 'res.partner' AND res_id = ANY(?::int[])",
    [ids],
  );
  return (r.rows[0] as { n: number }).n;
}

describe('change feed', () => {
  it('starts from now without since, and refuses bad parameters', async () => {
    const r = await feed('res.partner');
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.body.data, { changed: [], deleted: [] });
    assert.equal(r.body.meta.has_more, false);
    assert.match(r.body.meta.next_cursor, /^[A-Za-z0-9_-]+$/);
    for (const since of ['garbage', '', '1.2.3', `${r.body.meta.next_cursor}x`]) {
      const bad = await feed('res.partner', { since });
      assert.equal(bad.status, 400, `${since}: ${bad.text}`);
      assert.equal(bad.body.data, undefined);
      assert.equal((bad.body as unknown as { code: string }).code, 'invalid_cursor');
    }
    const tooMany = await feed('res.partner', { since: 0, limit: 100_000 });
    assert.equal((tooMany.body as unknown as { code: string }).code, 'page_size_exceeded');
    assert.equal((await feed('res.nothing')).status, 404);
  });

  it('shows creations, updates, archives and deletions made through Odoo (XML-RPC)', async () => {
    const rpc = await admin();
    const tag = unique('feed');
    const since = await freshCursor('res.partner');
    const [a, b, c] = await rpc.execute<number[]>('res.partner', 'create', [[{ name: `${tag} A` }, { name: `${tag} B` }, { name: `${tag} C` }]]);
    // the feed names a deletion to a caller it served the record to (D-S50)
    const created = await drain('res.partner', since, { fields: 'name' });
    assert.ok(created.changed.has(c as number));
    await rpc.execute('res.partner', 'write', [[a], { name: `${tag} A2`, email: 'a2@example.com' }]);
    await rpc.execute('res.partner', 'write', [[b], { active: false }]); // archive
    await rpc.execute('res.partner', 'unlink', [[c]]);
    const got = await drain('res.partner', created.cursor, { fields: 'name,email,active' });
    assert.deepEqual(got.changed.get(a as number), { id: a, name: `${tag} A2`, email: 'a2@example.com', active: true });
    assert.deepEqual(got.changed.get(b as number), { id: b, name: `${tag} B`, email: null, active: false }); // archived: still a change
    assert.ok(got.deleted.has(c as number));
    assert.ok(!got.changed.has(c as number));
    // the cursor at the end gives nothing new
    const again = await feed('res.partner', { since: got.cursor });
    assert.deepEqual(again.body.data, { changed: [], deleted: [] });
  });

  it('shows raw SQL writes, and sends NOTIFY rest_gateway_change on commit', async () => {
    const [id] = await (await admin()).execute<number[]>('res.partner', 'create', [[{ name: unique('sql') }]]);
    const since = await freshCursor('res.partner');
    const listener = await connectPg();
    const writer = await connectPg();
    try {
      const notified = new Promise<string>((resolve) => listener.on('notification', (msg) => resolve(msg.payload ?? '')));
      await listener.query('LISTEN rest_gateway_change');
      await writer.query("UPDATE res_partner SET comment = 'from SQL' WHERE id = $1", [id]);
      assert.equal(await Promise.race([notified, sleep(3000).then(() => 'timeout')]), 'res.partner');
    } finally {
      await Promise.all([listener.end(), writer.end()]);
    }
    const got = await drain('res.partner', since, { fields: 'comment' });
    assert.deepEqual(got.changed.get(id as number), { id, comment: 'from SQL' });
  });

  it('pages by change rows with an exact has_more, and since=0 starts from the oldest change kept', async () => {
    const since = await freshCursor('res.partner');
    const ids = await (await admin()).execute<number[]>('res.partner', 'create', [Array.from({ length: 5 }, (_, i) => ({ name: `${unique('page')} ${i}` }))]);
    const rows = await changeRowCount(ids);
    assert.ok(rows >= 5);
    const short = await feed('res.partner', { since, limit: rows - 1, fields: 'name' });
    assert.equal(short.body.meta.has_more, true);
    const exact = await feed('res.partner', { since, limit: rows, fields: 'name' });
    assert.equal(exact.body.meta.has_more, false);
    assert.deepEqual(exact.body.data.changed.map((r) => r.id).sort(), [...ids].sort());
    const paged = await drain('res.partner', since, { limit: 2, fields: 'name' });
    assert.equal(paged.pages, Math.ceil(rows / 2));
    assert.deepEqual([...paged.changed.keys()].sort(), [...ids].sort());

    const first = await feed('res.partner', { since: 0, limit: 1, fields: 'name' });
    assert.equal(first.status, 200, first.text);
    assert.equal(first.body.meta.has_more, true);
    const all = await drain('res.partner', '0', { limit: 200, fields: 'name' });
    for (const id of ids) assert.ok(all.changed.has(id), `since=0 reaches ${id}`);
  });

  it('applies the key\'s scope domain and field rules; records leaving the scope come back as deleted', async () => {
    const rpc = await admin();
    const tag = unique('scope');
    const { key } = await createKey({
      userId: rpc.uid,
      scopes: [{ model: 'res.partner', domain: `[('name', '=like', '${tag}%')]`, blocked: ['email'] }],
    });
    const since = await freshCursor('res.partner', key);
    const [inside, outside] = await rpc.execute<number[]>('res.partner', 'create', [[{ name: `${tag} in`, email: 'in@example.com' }, { name: `other ${tag}` }]]);
    const got = await drain('res.partner', since, { fields: 'name' }, key);
    assert.deepEqual(got.changed.get(inside as number), { id: inside, name: `${tag} in` });
    assert.ok(!got.deleted.has(outside as number) && !got.changed.has(outside as number), 'a change outside the scope names nothing (D-S50)');
    const blocked = await feed('res.partner', { since, fields: 'name,email' }, key);
    assert.equal(blocked.status, 403, blocked.text);
    const defaults = await drain('res.partner', since, {}, key);
    assert.ok(!('email' in (defaults.changed.get(inside as number) ?? {})), 'blocked fields stay out of the default set');

    await rpc.execute('res.partner', 'write', [[inside], { name: `moved out ${tag}` }]);
    const moved = await drain('res.partner', got.cursor, { fields: 'name' }, key);
    assert.deepEqual([...moved.changed.keys()], []);
    assert.ok(moved.deleted.has(inside as number));
  });

  it('sees every change at least once while transactions commit out of order', async (t) => {
    const result = await runCommitRace({ writers: 6, rounds: 40, pageSize: 7 });
    t.diagnostic(`${result.expected.size} records changed in ${result.commits} commits, ${result.inversions} pairs committed out of txid order, ${result.polls} polls`);
    assert.ok(result.inversions > 0, 'commits happened out of transaction order');
    assert.ok(result.polls > 10, `the client polled during the writes (${result.polls} polls)`);
    const missed = [...result.expected].filter((id) => !result.seen.has(id));
    assert.deepEqual(missed, [], `missed ${missed.length} of ${result.expected.size} changed records`);
    const leaked = [...result.rolledBack].filter((id) => result.seen.has(id));
    assert.deepEqual(leaked, [], 'rolled back changes never appear');
  });

  // Last: it purges every captured change, which the tests above rely on.
  it('answers 410 cursor_expired for a cursor older than the purge, and resumes from a fresh cursor', async () => {
    const old = await freshCursor('res.partner');
    await (await admin()).execute('res.partner', 'create', [Array.from({ length: 12 }, (_, i) => ({ name: `${unique('purge')} ${i}` }))]);
    await sleep(50);
    assert.deepEqual(await purgeChanges(db, { olderThanSeconds: 3600 }), { deleted: 0, chunks: 1, skipped: false }, 'recent changes are kept');
    const other = await connectPg(); // another sidecar purging: this one leaves it the work
    try {
      await other.query('BEGIN');
      await other.query('SELECT pg_advisory_xact_lock($1)', [0x52475750]);
      assert.equal((await purgeChanges(db, { olderThanSeconds: -3600 })).skipped, true);
    } finally {
      await other.end();
    }
    const total = (await db.raw<{ rows: Array<{ n: number }> }>('SELECT count(*)::int AS n FROM rest_gateway_change')).rows[0]?.n ?? 0;
    const chunkSize = Math.max(5, Math.ceil(total / 4)); // several chunks, whatever ran before
    const purged = await purgeChanges(db, { olderThanSeconds: -3600, chunkSize }); // every change counts as old
    assert.equal(purged.skipped, false);
    assert.ok(purged.deleted >= 12 && purged.chunks >= 3, JSON.stringify(purged));
    const horizon = await db.raw<{ rows: Array<{ purged: string }> }>('SELECT purged_txid::text AS purged FROM rest_gateway_change_horizon');
    assert.ok(BigInt(horizon.rows[0]?.purged ?? '0') > 0n);
    const expired = await feed('res.partner', { since: old });
    assert.equal(expired.status, 410, expired.text);
    const problem = expired.body as unknown as { code: string; detail: string };
    assert.equal(problem.code, 'cursor_expired');
    assert.match(problem.detail, /[Rr]esync/);
    const fresh = await freshCursor('res.partner');
    const [id] = await (await admin()).execute<number[]>('res.partner', 'create', [[{ name: unique('after purge') }]]);
    const got = await drain('res.partner', fresh, { fields: 'name' });
    assert.ok(got.changed.has(id as number));
    assert.equal((await feed('res.partner', { since: 0, limit: 1 })).status, 200);
  });
});
