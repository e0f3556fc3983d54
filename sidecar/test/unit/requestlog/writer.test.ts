/**
 * The request log writer: batches of at most 500 rows, one insert per
 * batch, a full batch written at once, the rest every interval and at
 * close; a full buffer drops the oldest (counted and logged); a failed
 * insert is logged and never thrown; a batch refused for one entry's data
 * is written row by row, that entry degraded.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { BatchResult, RequestLogEntry } from '../../../src/db/request-logs.js';
import type { Logger } from '../../../src/observability/logger.js';
import { DEGRADED_SUMMARY } from '../../../src/requestlog/degraded-entry.js';
import { RequestLogWriter } from '../../../src/requestlog/writer.js';

function entry(n: number): RequestLogEntry {
  return {
    loggedAt: new Date(), requestId: `r${n}`, method: 'GET', path: '/api/v1/x', endpoint: 'GET /api/v1/:model', operation: 'listRecords',
    model: 'x', authKind: null, userId: null, keyId: null, clientId: null, clientAddress: null, origin: null, userAgent: null,
    status: 200, durationMs: 1, odooMs: 0, errorCode: null, errorMessage: null, requestSize: null, responseSize: null,
    requestSummary: null, responseSummary: null, logged: true,
  };
}

function recordingLog(): Logger & { warnings: Array<{ msg: string; extra?: Record<string, unknown> }> } {
  const warnings: Array<{ msg: string; extra?: Record<string, unknown> }> = [];
  return { warnings, debug: () => {}, info: () => {}, error: () => {}, warn: (msg, extra) => warnings.push({ msg, extra }) };
}

/** An insert that records its batches, optionally slow or failing. */
function fakeInsert(options: { delayMs?: number; fail?: () => boolean } = {}) {
  const batches: RequestLogEntry[][] = [];
  const insert = async (entries: readonly RequestLogEntry[]): Promise<BatchResult> => {
    if (options.delayMs) await new Promise((r) => setTimeout(r, options.delayMs));
    if (options.fail?.()) throw new Error('connection refused');
    batches.push([...entries]);
    return { logged: entries.length, buckets: 1 };
  };
  return { batches, insert };
}

const HOUR = 3_600_000;

describe('RequestLogWriter', () => {
  it('writes in batches of at most 500 rows, in arrival order', async () => {
    const { batches, insert } = fakeInsert();
    const writer = new RequestLogWriter(insert, recordingLog(), { flushIntervalMs: HOUR });
    for (let i = 0; i < 1_234; i += 1) writer.enqueue(entry(i));
    await writer.close();
    assert.ok(batches.every((b) => b.length <= 500));
    assert.deepEqual(batches.flat().map((e) => e.requestId), Array.from({ length: 1_234 }, (_, i) => `r${i}`));
    assert.equal(writer.totals.written, 1_234);
  });

  it('starts a write as soon as a batch is full, without waiting for the interval', async () => {
    const { batches, insert } = fakeInsert();
    const writer = new RequestLogWriter(insert, recordingLog(), { flushIntervalMs: HOUR });
    for (let i = 0; i < 499; i += 1) writer.enqueue(entry(i));
    await new Promise((r) => setImmediate(r));
    assert.equal(batches.length, 0, 'below a batch: waits for the timer');
    writer.enqueue(entry(499));
    await new Promise((r) => setTimeout(r, 10));
    assert.deepEqual(batches.map((b) => b.length), [500]);
    await writer.close();
  });

  it('writes what waits every interval', async () => {
    const { batches, insert } = fakeInsert();
    const writer = new RequestLogWriter(insert, recordingLog(), { flushIntervalMs: 20 });
    writer.enqueue(entry(1));
    writer.enqueue(entry(2));
    await new Promise((r) => setTimeout(r, 80));
    assert.deepEqual(batches.map((b) => b.length), [2]);
    await writer.close();
  });

  it('bounds its buffer: a slow database drops the oldest entries, counts and logs them, and enqueue never waits', async () => {
    const { batches, insert } = fakeInsert({ delayMs: 30 });
    const log = recordingLog();
    const writer = new RequestLogWriter(insert, log, { bufferRows: 1_000, batchRows: 100, flushIntervalMs: HOUR });
    const started = performance.now();
    for (let i = 0; i < 5_000; i += 1) writer.enqueue(entry(i));
    assert.ok(performance.now() - started < 500, 'enqueue does not wait for the database');
    assert.ok(writer.pending <= 1_000);
    await writer.close();
    const written = batches.flat().length;
    assert.equal(written + writer.totals.dropped, 5_000);
    assert.ok(writer.totals.dropped >= 3_900, `dropped ${writer.totals.dropped}`);
    assert.equal(batches.flat().at(-1)?.requestId, 'r4999', 'the newest are kept');
    const drops = log.warnings.filter((w) => w.msg.includes('buffer full'));
    assert.ok(drops.length >= 1);
    assert.equal(drops.reduce((sum, w) => sum + Number(w.extra?.dropped), 0), writer.totals.dropped);
  });

  it('logs a failed insert, drops that batch and goes on with the next', async () => {
    let calls = 0;
    const { batches, insert } = fakeInsert({ fail: () => (calls += 1) === 1 });
    const log = recordingLog();
    const writer = new RequestLogWriter(insert, log, { batchRows: 10, flushIntervalMs: HOUR });
    for (let i = 0; i < 25; i += 1) writer.enqueue(entry(i));
    await writer.close();
    assert.equal(writer.totals.failed, 10);
    assert.equal(batches.flat().length, 15);
    assert.ok(log.warnings.some((w) => w.msg.includes('could not write') && w.extra?.rows === 10));
  });

  it('serializes flushes: concurrent calls never write a row twice', async () => {
    const { batches, insert } = fakeInsert({ delayMs: 5 });
    const writer = new RequestLogWriter(insert, recordingLog(), { batchRows: 50, flushIntervalMs: HOUR });
    for (let i = 0; i < 300; i += 1) writer.enqueue(entry(i));
    await Promise.all([writer.flush(), writer.flush(), writer.flush()]);
    const ids = batches.flat().map((e) => e.requestId);
    assert.equal(new Set(ids).size, ids.length);
    assert.equal(ids.length, 300);
    await writer.close();
  });

  it('close writes everything queued, then ignores late entries', async () => {
    const { batches, insert } = fakeInsert({ delayMs: 5 });
    const writer = new RequestLogWriter(insert, recordingLog(), { flushIntervalMs: HOUR });
    for (let i = 0; i < 42; i += 1) writer.enqueue(entry(i));
    await writer.close();
    assert.equal(batches.flat().length, 42);
    writer.enqueue(entry(43));
    assert.equal(writer.pending, 0);
  });

  it('writes the rest of a batch one entry refuses for its data, and that entry degraded', async () => {
    const batches: RequestLogEntry[][] = [];
    // PostgreSQL refuses the whole statement when one row's data is bad (SQLSTATE class 22)
    const refuses = (e: RequestLogEntry) => /[^\x20-\x7e]/.test(e.userAgent ?? '') || e.requestSummary === '{"x":1}';
    const insert = async (entries: readonly RequestLogEntry[]): Promise<BatchResult> => {
      if (entries.some(refuses)) throw Object.assign(new Error('INSERT … - unsupported Unicode escape sequence'), { code: '22P05' });
      batches.push([...entries]);
      return { logged: entries.length, buckets: 1 };
    };
    const log = recordingLog();
    const writer = new RequestLogWriter(insert, log, { flushIntervalMs: HOUR });
    for (let i = 0; i < 10; i += 1) writer.enqueue(i === 4 ? { ...entry(i), userAgent: 'agent \u00ff', requestSummary: '{"x":1}' } : entry(i));
    await writer.close();
    const written = batches.flat();
    assert.deepEqual(written.map((e) => e.requestId), Array.from({ length: 10 }, (_, i) => `r${i}`), 'every entry, in order');
    const degraded = written[4] as RequestLogEntry;
    assert.equal(degraded.userAgent, 'agent ?');
    assert.equal(degraded.requestSummary, DEGRADED_SUMMARY);
    assert.equal(degraded.status, 200);
    assert.deepEqual(writer.totals, { written: 10, dropped: 0, failed: 0, degraded: 1 });
    assert.ok(log.warnings.every((w) => !String(w.extra?.error).includes('INSERT')), 'the statement text is not logged');
  });

  it('drops a batch that fails for a reason other than its data, without retrying row by row', async () => {
    let calls = 0;
    const insert = async (): Promise<BatchResult> => {
      calls += 1;
      throw Object.assign(new Error('connection refused'), { code: 'ECONNREFUSED' });
    };
    const writer = new RequestLogWriter(insert, recordingLog(), { flushIntervalMs: HOUR });
    for (let i = 0; i < 5; i += 1) writer.enqueue(entry(i));
    await writer.close();
    assert.equal(calls, 1);
    assert.equal(writer.totals.failed, 5);
  });
});
