import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UsageRecorder } from '../../../src/auth/usage-recorder.js';
import type { Db } from '../../../src/db/knex.js';
import { createLogger } from '../../../src/observability/logger.js';

describe('usage recorder', () => {
  it('batches uses into one UPDATE per table per flush', async () => {
    const calls: Array<{ sql: string; bindings: unknown[] }> = [];
    const db = { raw: async (sql: string, bindings: unknown[]) => calls.push({ sql, bindings }) } as unknown as Db;
    const recorder = new UsageRecorder(db, createLogger('error', () => undefined), 60_000);
    const t0 = new Date('2026-01-01T00:00:00Z');
    const t1 = new Date('2026-01-01T00:00:05Z');
    recorder.record('rest_gateway_key', 1, t0);
    recorder.record('rest_gateway_key', 1, t1);
    recorder.record('rest_gateway_key', 2, t0);
    recorder.record('rest_gateway_token', 9, t0);
    await recorder.flush();
    assert.equal(calls.length, 2);
    const keys = calls.find((c) => c.bindings[0] === 'rest_gateway_key');
    assert.deepEqual(keys?.bindings.slice(1), [[1, 2], [2, 1], ['2026-01-01 00:00:05.000', '2026-01-01 00:00:00.000']]);
    await recorder.flush();
    assert.equal(calls.length, 2); // nothing new, nothing written
    await recorder.close();
  });
});
