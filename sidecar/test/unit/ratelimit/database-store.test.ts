/**
 * The database backend (D-L1) against an in-memory stand-in of the counter
 * table shared by two stores (two replicas): exact near the limit, written
 * in batches far from it, shared counts, fail-open and the final flush.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Db } from '../../../src/db/knex.js';
import type { Logger } from '../../../src/observability/logger.js';
import { DatabaseCounterStore, syncMargin } from '../../../src/ratelimit/database-store.js';

const W = 60_000 * 29_000_000;

/** rest_gateway_rate_counter as the store's statements see it. */
class CounterTable {
  readonly rows = new Map<string, number>();
  statements = 0;
  failing = false;
  readonly db = {
    raw: async (sql: string, bindings: unknown[]) => {
      if (this.failing) throw new Error('connection refused');
      if (sql.startsWith('DELETE')) return { rowCount: 0 };
      this.statements += 1;
      const [buckets, windows, deltas] = bindings as [string[], number[], number[]];
      const rows = buckets.map((bucket, i) => {
        const key = `${windows[i]} ${bucket}`;
        const count = (this.rows.get(key) ?? 0) + (deltas[i] as number);
        this.rows.set(key, count);
        return { bucket, window_ms: String(windows[i]), count };
      });
      return { rows };
    },
  } as unknown as Db;

  count(bucket: string, window = W): number {
    return this.rows.get(`${window} ${bucket}`) ?? 0;
  }
}

function recordingLog(): { log: Logger; errors: string[] } {
  const errors: string[] = [];
  const log = { error: (message: string) => errors.push(message), warn: () => undefined, info: () => undefined, debug: () => undefined } as unknown as Logger;
  return { log, errors };
}

/** A store whose flusher never fires on its own: the tests flush explicitly. */
function replica(table: CounterTable, log = recordingLog().log): DatabaseCounterStore {
  return new DatabaseCounterStore(table.db, log, { flushMs: 3_600_000, retryMs: 3_600_000 });
}

describe('database counter store', () => {
  it('decides the first request of a bucket on the database, learning the other replicas\' count', async () => {
    const table = new CounterTable();
    table.rows.set(`${W} api_key:1`, 7);
    const store = replica(table);
    assert.equal(await store.increment('api_key:1', W, 100), 8);
    assert.equal(table.statements, 1);
  });

  it('far from the limit, counts without waiting and writes every bucket in one statement per flush', async () => {
    const table = new CounterTable();
    const store = replica(table);
    await store.increment('api_key:1', W, 100);
    await store.increment('api_key:2', W, 100);
    assert.equal(table.statements, 2);
    const positions: number[] = [];
    for (let i = 0; i < 10; i += 1) positions.push(await store.increment('api_key:1', W, 100));
    for (let i = 0; i < 5; i += 1) await store.increment('api_key:2', W, 100);
    assert.deepEqual(positions, [2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    assert.equal(table.statements, 2, 'no statement on the request path');
    await store.flush();
    assert.equal(table.statements, 3, 'one statement for both buckets');
    assert.equal(table.count('api_key:1'), 11);
    assert.equal(table.count('api_key:2'), 6);
  });

  it('near the limit, decides every request on the database: the 6th of a 5/min key is refused', async () => {
    const table = new CounterTable();
    const store = replica(table);
    const positions: number[] = [];
    for (let i = 0; i < 6; i += 1) positions.push(await store.increment('api_key:1', W, 5));
    assert.deepEqual(positions, [1, 2, 3, 4, 5, 6]);
    assert.equal(table.statements, 5, 'the 6th is refused on the known count, without waiting');
  });

  it('goes to the database once the estimate leaves the margin: max(5, 10 % of the limit, twice the others\' last increase)', async () => {
    assert.equal(syncMargin(5, { known: 0, pending: 0, sending: 0, othersMostSeen: 0 }), 5);
    assert.equal(syncMargin(600, { known: 0, pending: 0, sending: 0, othersMostSeen: 0 }), 60);
    assert.equal(syncMargin(40, { known: 0, pending: 0, sending: 0, othersMostSeen: 8 }), 16);
    const table = new CounterTable();
    const store = replica(table);
    for (let i = 0; i < 34; i += 1) await store.increment('api_key:1', W, 40);
    assert.equal(table.statements, 1, 'only the first request waited');
    assert.equal(await store.increment('api_key:1', W, 40), 35);
    assert.equal(table.statements, 2, 'the 35th of 40 (5 left) is written at once, with the pending ones');
    assert.equal(table.count('api_key:1'), 35);
  });

  it('once the known count reached the limit, refuses without waiting and writes the refusals later', async () => {
    const table = new CounterTable();
    const store = replica(table);
    for (let i = 0; i < 3; i += 1) await store.increment('api_key:1', W, 3);
    const statements = table.statements;
    assert.equal(await store.increment('api_key:1', W, 3), 4);
    assert.equal(await store.increment('api_key:1', W, 3), 5);
    assert.equal(table.statements, statements);
    await store.flush();
    assert.equal(table.count('api_key:1'), 5);
  });

  it('shares one limit between two replicas: exactly the limit is allowed in total', async () => {
    const table = new CounterTable();
    const a = replica(table);
    const b = replica(table);
    let allowed = 0;
    for (let i = 0; i < 60; i += 1) {
      const position = await (i % 2 ? b : a).increment('api_key:1', W, 40);
      if (position <= 40) allowed += 1;
      // each replica's flusher runs every few requests
      if (i % 6 === 5) await Promise.all([a.flush(), b.flush()]);
    }
    assert.equal(allowed, 40);
    await Promise.all([a.flush(), b.flush()]);
    assert.equal(table.count('api_key:1'), 60);
  });

  it('fails open: counts in this process, logs once per window, and writes the counts once the database is back', async () => {
    const table = new CounterTable();
    const { log, errors } = recordingLog();
    const store = replica(table, log);
    table.failing = true;
    assert.equal(await store.increment('api_key:1', W, 5), 1);
    assert.equal(await store.increment('api_key:1', W, 5), 2);
    await store.flush();
    assert.equal(errors.length, 1);
    assert.equal(await store.increment('api_key:1', W + 60_000, 5), 1);
    await store.flush();
    assert.equal(errors.length, 2, 'logged again in the next window');
    table.failing = false;
    await store.flush();
    assert.equal(table.count('api_key:1'), 2);
    assert.equal(table.count('api_key:1', W + 60_000), 1);
    assert.equal(await store.increment('api_key:1', W + 60_000, 5), 2, 'back on the database');
    assert.equal(table.count('api_key:1', W + 60_000), 2);
  });

  it('writes the pending counts when closed', async () => {
    const table = new CounterTable();
    const store = replica(table);
    for (let i = 0; i < 4; i += 1) await store.increment('ip:192.0.2.1', W, 1000);
    assert.equal(table.count('ip:192.0.2.1'), 1);
    await store.close();
    assert.equal(table.count('ip:192.0.2.1'), 4);
  });

  it('stays exact across two replicas whose writes commit in any order (seeded interleavings)', async () => {
    // a replica that learned of few other requests between two quick answers must not
    // trust that lag while requests the other replica allowed locally are still unwritten
    for (const seed of [34, 137, 201, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20]) {
      let state = seed;
      const random = (): number => {
        state = (state * 1103515245 + 12345) % 2147483648;
        return state / 2147483648;
      };
      const table = new CounterTable();
      const slow = { raw: async (sql: string, bindings: unknown[]) => {
        await new Promise((r) => setTimeout(r, random() * 4));
        const result = await (table.db as unknown as { raw: (s: string, b: unknown[]) => Promise<unknown> }).raw(sql, bindings);
        await new Promise((r) => setTimeout(r, random() * 2));
        return result;
      } } as unknown as Db;
      const a = new DatabaseCounterStore(slow, recordingLog().log, { flushMs: 3 + Math.floor(random() * 8) });
      const b = new DatabaseCounterStore(slow, recordingLog().log, { flushMs: 3 + Math.floor(random() * 8) });
      let allowed = 0;
      for (let i = 0; i < 52; i += 1) {
        if ((await (i % 2 ? b : a).increment('api_key:1', W, 40)) <= 40) allowed += 1;
        await new Promise((r) => setTimeout(r, random() * 3));
      }
      await Promise.all([a.close(), b.close()]);
      assert.equal(allowed, 40, `seed ${seed}`);
      assert.equal(table.count('api_key:1'), 52);
    }
  });
});
