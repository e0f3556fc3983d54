/**
 * The request log under hostile input (D-S11): NUL characters, unpaired
 * surrogates and odd bytes in the path, the query, headers and bodies,
 * sent while other clients' traffic runs, never cost anyone's entry; a row
 * PostgreSQL still refuses is written degraded and the rest of its batch
 * as it was.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { createDb, type Db } from '../../src/db/knex.js';
import { insertRequestLogBatch, type RequestLogEntry } from '../../src/db/request-logs.js';
import type { Logger } from '../../src/observability/logger.js';
import { DEGRADED_SUMMARY } from '../../src/requestlog/degraded-entry.js';
import { RequestLogWriter } from '../../src/requestlog/writer.js';
import { setParam, sleep, sql } from './support/auth.js';
import { eventually, stack } from './support/stack.js';

interface LogRow {
  request_id: string;
  path: string;
  status: number;
  user_agent: string | null;
  error_message: string | null;
  request_summary: string | null;
  request_size: number | null;
}

/** Sends bytes as they are (fetch would refuse or re-encode some of them); answers the status. */
function send(method: string, path: string, headers: Record<string, string>, body?: Buffer | string): Promise<number> {
  const url = new URL(`${stack.api_url}${path}`);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, method, path: `${url.pathname}${url.search}`, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const KEY = { Authorization: `Bearer ${stack.api_key}` };
const JSON_KEY = { ...KEY, 'Content-Type': 'application/json' };
const enc = encodeURIComponent;

/** Hostile requests: each one's answer used to reach the log with text PostgreSQL refuses. */
const HOSTILE: Array<[string, string, Record<string, string>, (string | Buffer)?]> = [
  ['GET', '/x%00y', KEY],
  ['GET', '/res.partner%00', KEY],
  ['GET', '/res.partner?fields=na%00me', KEY],
  ['GET', '/res.partner?filter[name][eq]=a%00', KEY],
  ['GET', `/res.partner?filter=${enc('[["name","=","a\\u0000"]]')}`, KEY],
  ['GET', `/res.partner?filter=${enc('[["name","=","a\\ud800"]]')}`, KEY],
  ['GET', '/res.partner?limit=1', { ...KEY, 'User-Agent': 'agent \u00ff\u00fe\u00ed\u00a0\u0080', Origin: 'https://\u00e9.example' }],
  ['POST', '/res.partner', JSON_KEY, '{"na\\u0000me":"a\\u0000b","x\\udc00":"\\ud800"}'],
  ['POST', '/res.partner', JSON_KEY, Buffer.concat([Buffer.from('{"name":"'), Buffer.from([0xed, 0xa0, 0x80, 0xff]), Buffer.from('"}')])],
  ['POST', '/auth/login', { 'Content-Type': 'application/json' }, '{"login":"a\\u0000b","password":"x\\ud800"}'],
];

async function rows(ids: string[]): Promise<LogRow[]> {
  return sql<LogRow>('SELECT request_id, path, status, user_agent, error_message, request_summary, request_size FROM rest_gateway_request_log WHERE request_id = ANY($1)', [ids]);
}

const quiet: Logger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

before(async () => {
  await setParam('rest_gateway.request_log_mode', 'all');
  await sleep(800); // the sidecar reloads its configuration on NOTIFY
});

describe('the request log under hostile input', () => {
  it('finds every row when hostile bytes in the path, query, headers and bodies arrive among other traffic', async () => {
    const ids: string[] = [];
    const traced = (headers: Record<string, string>) => {
      const id = `hostile-log-${randomUUID()}`;
      ids.push(id);
      return { ...headers, 'X-Request-ID': id };
    };
    const sent: Array<Promise<number>> = [];
    for (let round = 0; round < 3; round += 1) {
      for (let i = 0; i < 10; i += 1) sent.push(send('GET', '/res.partner?limit=1', traced(KEY)));
      for (const [method, path, headers, body] of HOSTILE) sent.push(send(method, path, traced(headers), body));
    }
    const statuses = await Promise.all(sent);
    const found = await eventually(() => rows(ids), (r) => r.length >= ids.length, 8_000);
    const missing = ids.filter((id) => !found.some((row) => row.request_id === id));
    assert.deepEqual(missing, [], `${missing.length} of ${ids.length} entries lost`);
    assert.ok(statuses.every((status) => status > 0 && status < 500), `no 5xx: ${statuses.join(',')}`);
    for (const row of found) {
      for (const text of [row.path, row.user_agent, row.error_message, row.request_summary]) {
        assert.ok(!text?.includes('\u0000'), `a NUL in the row of ${row.path}`);
      }
    }
  });

  describe('writing rows the database refuses', () => {
    let db: Db;
    before(() => {
      db = createDb(stack.database_url, 2);
    });
    after(() => db.destroy());

    const entry = (requestId: string, changes: Partial<RequestLogEntry> = {}): RequestLogEntry => ({
      loggedAt: new Date(), requestId, method: 'GET', path: '/api/v1/models', endpoint: 'GET /api/v1/models', operation: 'listModels',
      model: null, authKind: null, userId: null, keyId: null, clientId: null, clientAddress: '127.0.0.1', origin: null, userAgent: null,
      status: 200, durationMs: 1, odooMs: 0, errorCode: null, errorMessage: null, requestSize: null, responseSize: null,
      requestSummary: null, responseSummary: null, logged: true, ...changes,
    });

    it('stores NUL and unpaired surrogates in every text column as U+FFFD', async () => {
      const id = `hostile-direct-${randomUUID()}`;
      const bad = 'a\u0000b\uD800c';
      await insertRequestLogBatch(db, [
        entry(`${id}-ok`),
        entry(id, { path: bad, model: bad, origin: bad, userAgent: bad, errorCode: bad, errorMessage: bad, requestSummary: `{"${bad}":"${bad}"}`, responseSummary: bad }),
      ]);
      const [row] = await rows([id]);
      assert.ok(row);
      assert.equal(row.path, 'a\uFFFDb\uFFFDc');
      assert.equal(row.error_message, 'a\uFFFDb\uFFFDc');
      assert.equal((await rows([`${id}-ok`])).length, 1);
    });

    it('writes the rest of a refused batch as it was, and the refused row degraded', async () => {
      const id = `hostile-writer-${randomUUID()}`;
      const writer = new RequestLogWriter((entries) => insertRequestLogBatch(db, entries), quiet, { flushIntervalMs: 3_600_000 });
      for (let i = 0; i < 20; i += 1) {
        // 2^40 does not fit the integer column: PostgreSQL refuses the whole statement (22003)
        writer.enqueue(entry(`${id}-${i}`, i === 7 ? { requestSize: 2 ** 40, userAgent: 'agent \u00e9' } : { userAgent: 'agent \u00e9' }));
      }
      await writer.close();
      const written = await rows(Array.from({ length: 20 }, (_, i) => `${id}-${i}`));
      assert.equal(written.length, 20);
      const degraded = written.find((row) => row.request_id === `${id}-7`);
      assert.equal(degraded?.request_size, null);
      assert.equal(degraded?.request_summary, DEGRADED_SUMMARY);
      assert.ok(written.filter((row) => row.request_id !== `${id}-7`).every((row) => row.user_agent === 'agent \u00e9'), 'the other rows as they were');
      assert.deepEqual(writer.totals, { written: 20, dropped: 0, failed: 0, degraded: 1 });
    });
  });
});
