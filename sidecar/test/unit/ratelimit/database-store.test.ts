/** The database backend fails open: counts in memory and logs once per window (D-L1). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Db } from '../../../src/db/knex.js';
import type { Logger } from '../../../src/observability/logger.js';
import { DatabaseCounterStore } from '../../../src/ratelimit/database-store.js';

describe('database counter store', () => {
  it('keeps counting in memory when the database is unreachable, logging once per window', async () => {
    const errors: string[] = [];
    const log = { error: (message: string) => errors.push(message), warn: () => undefined, info: () => undefined, debug: () => undefined } as unknown as Logger;
    const db = { raw: () => Promise.reject(new Error('connection refused')) } as unknown as Db;
    const store = new DatabaseCounterStore(db, log);
    assert.equal(await store.increment('api_key:1', 60_000), 1);
    assert.equal(await store.increment('api_key:1', 60_000), 2);
    assert.equal(errors.length, 1);
    assert.equal(await store.increment('api_key:1', 120_000), 1);
    assert.equal(errors.length, 2);
  });
});
