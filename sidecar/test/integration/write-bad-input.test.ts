/**
 * Hostile and malformed input on every write route (and the bulk reads):
 * always a 4xx problem+json with a stable code and a request id, never a
 * 500 or a traceback, and the database unchanged (counts and a sentinel
 * record's write_date, through XML-RPC).
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { createKey, unique } from './support/fixtures.js';
import { admin, api } from './support/stack.js';

interface Case {
  name: string;
  method: string;
  path: string;
  /** A string is sent as is; anything else as JSON. */
  body?: unknown;
  headers?: Record<string, string>;
  status: number;
  /** '' when any 4xx code will do (Odoo's refusal of a value the sidecar cannot know). */
  code: string;
  key?: 'blocked';
}

const deep = (levels: number): unknown => (levels === 0 ? { name: 'leaf' } : { name: `level ${levels}`, child_ids: { create: [deep(levels - 1)] } });

function cases(s: number): Case[] {
  const bodyRoutes: Array<[string, string]> = [
    ['POST', '/res.partner'],
    ['PATCH', `/res.partner/${s}`],
    ['PUT', `/res.partner/${s}`],
    ['POST', `/res.partner/${s}/copy`],
  ];
  const perRoute = bodyRoutes.flatMap(([method, path]): Case[] => [
    { name: 'malformed JSON', method, path, body: '{"name": ', status: 400, code: 'invalid_json' },
    { name: 'JSON scalar', method, path, body: '42', status: 400, code: 'invalid_json' },
    { name: 'JSON null', method, path, body: 'null', status: 400, code: 'invalid_json' },
    { name: 'JSON list', method, path, body: '[{"name": "x"}]', status: 400, code: 'invalid_body' },
    { name: 'prototype pollution', method, path, body: '{"__proto__": {"admin": true}}', status: 400, code: 'invalid_json' },
    { name: 'text/plain', method, path, body: 'name=x', headers: { 'Content-Type': 'text/plain' }, status: 415, code: 'unsupported_media_type' },
    { name: 'form encoded', method, path, body: 'name=x', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, status: 415, code: 'unsupported_media_type' },
    { name: 'xml', method, path, body: '<name>x</name>', headers: { 'Content-Type': 'application/xml' }, status: 415, code: 'unsupported_media_type' },
    { name: 'too large', method, path, body: JSON.stringify({ name: 'x'.repeat(2_000_000) }), status: 413, code: 'payload_too_large' },
    { name: 'unknown field', method, path, body: { nope: 1 }, status: 400, code: 'unknown_field' },
    { name: 'sql in a field name', method, path, body: { 'name) OR 1=1 --': 'x' }, status: 400, code: 'unknown_field' },
    { name: 'magic field', method, path, body: { write_date: '2020-01-01T00:00:00Z' }, status: 400, code: 'field_readonly' },
    { name: 'computed field', method, path, body: { commercial_partner_id: 1 }, status: 400, code: 'field_readonly' },
    { name: 'blocked field', method, path, body: { comment: 'x' }, status: 403, code: 'field_not_allowed', key: 'blocked' },
    { name: 'string as a number', method, path, body: { color: '3' }, status: 400, code: 'invalid_value' },
    { name: 'NUL in a string', method, path, body: '{"name": "a\\u0000b"}', status: 400, code: 'invalid_value' },
    { name: 'deep x2many nesting', method, path, body: { child_ids: { create: [deep(5)] } }, status: 400, code: 'value_too_large' },
  ]);
  const p = `/res.partner/${s}`;
  return [
    ...perRoute,
    { name: 'create without a body', method: 'POST', path: '/res.partner', status: 400, code: 'invalid_body' },
    { name: 'boolean as a string', method: 'PATCH', path: p, body: { is_company: 'yes' }, status: 400, code: 'invalid_value' },
    { name: 'fractional integer', method: 'PATCH', path: p, body: { color: 1.5 }, status: 400, code: 'invalid_value' },
    { name: 'number overflow', method: 'PATCH', path: p, body: '{"partner_latitude": 1e400}', status: 400, code: 'invalid_value' },
    { name: 'many2one as a string', method: 'PATCH', path: p, body: { country_id: '21' }, status: 400, code: 'invalid_value' },
    { name: 'many2one as an object', method: 'PATCH', path: p, body: { country_id: { id: 21 } }, status: 400, code: 'invalid_value' },
    { name: 'negative many2one', method: 'PATCH', path: p, body: { country_id: -1 }, status: 400, code: 'invalid_value' },
    { name: 'unknown selection', method: 'PATCH', path: p, body: { type: 'nope' }, status: 400, code: 'invalid_value' },
    { name: 'unknown time zone', method: 'PATCH', path: p, body: { tz: 'Mars/Olympus' }, status: 400, code: 'invalid_value' },
    { name: 'bad base64', method: 'PATCH', path: p, body: { image_1920: 'not base64!' }, status: 400, code: 'invalid_value' },
    { name: 'bad data URL', method: 'PATCH', path: p, body: { image_1920: 'data:image/png;base64,@@@@' }, status: 400, code: 'invalid_value' },
    { name: 'lone surrogate', method: 'PATCH', path: p, body: '{"name": "\\ud800"}', status: 400, code: 'invalid_value' },
    { name: 'string too long', method: 'PATCH', path: p, body: { name: 'x'.repeat(10_001) }, status: 400, code: 'value_too_large' },
    { name: 'x2many ids as strings', method: 'PATCH', path: p, body: { category_id: ['1'] }, status: 400, code: 'invalid_value' },
    { name: 'x2many as a number', method: 'PATCH', path: p, body: { category_id: 5 }, status: 400, code: 'invalid_value' },
    { name: 'unknown x2many command', method: 'PATCH', path: p, body: { category_id: { merge: [1] } }, status: 400, code: 'invalid_value' },
    { name: 'x2many update without id', method: 'PATCH', path: p, body: { category_id: { update: [{ name: 'x' }] } }, status: 400, code: 'invalid_value' },
    { name: 'too many x2many ids', method: 'PATCH', path: p, body: { category_id: Array.from({ length: 1001 }, (_, i) => i + 1) }, status: 400, code: 'value_too_large' },
    { name: 'too many nested records', method: 'PATCH', path: p, body: { category_id: { create: Array.from({ length: 101 }, () => ({ name: 'x' })) } }, status: 400, code: 'value_too_large' },
    { name: 'nested unknown field', method: 'PATCH', path: p, body: { category_id: { create: [{ nope: 1 }] } }, status: 400, code: 'unknown_field' },
    { name: 'PUT with partial x2many', method: 'PUT', path: p, body: { category_id: { add: [1] } }, status: 400, code: 'invalid_value' },
    { name: 'datetime without a zone', method: 'PATCH', path: '/res.users/2', body: { out_of_office_from: '2024-05-01T09:30:00' }, status: 400, code: 'invalid_value' },
    { name: 'impossible datetime', method: 'PATCH', path: '/res.users/2', body: { out_of_office_from: '2024-02-30T09:30:00Z' }, status: 400, code: 'invalid_value' },
    { name: 'id not a number', method: 'PATCH', path: '/res.partner/abc', body: { name: 'x' }, status: 400, code: 'invalid_parameter' },
    { name: 'fractional id', method: 'PUT', path: '/res.partner/1.5', body: { name: 'x' }, status: 400, code: 'invalid_parameter' },
    { name: 'zero id', method: 'DELETE', path: '/res.partner/0', status: 400, code: 'invalid_parameter' },
    { name: 'negative id', method: 'POST', path: '/res.partner/-1/archive', status: 400, code: 'invalid_parameter' },
    { name: 'huge id', method: 'POST', path: '/res.partner/99999999999/restore', status: 400, code: 'invalid_parameter' },
    { name: 'copy id not a number', method: 'POST', path: '/res.partner/x/copy', status: 400, code: 'invalid_parameter' },
    { name: 'missing record', method: 'PATCH', path: '/res.partner/2147483000', body: { name: 'x' }, status: 404, code: 'record_not_found' },
    { name: 'force not a boolean', method: 'DELETE', path: `${p}?force=maybe`, status: 400, code: 'invalid_parameter' },
    { name: 'force repeated', method: 'DELETE', path: `${p}?force=true&force=false`, status: 400, code: 'invalid_parameter' },
    { name: 'fields of the answer', method: 'PATCH', path: `${p}?fields=nope`, body: { name: 'x' }, status: 400, code: 'unknown_field' },
    { name: 'binary option', method: 'POST', path: `${p}/archive?binary=hex`, status: 400, code: 'invalid_parameter' },
    { name: 'unknown model', method: 'POST', path: '/no.such.model', body: { name: 'x' }, status: 404, code: 'model_not_found' },
    { name: 'model not exposed', method: 'DELETE', path: '/ir.config_parameter/1?force=true', status: 404, code: 'model_not_found' },
    { name: 'PATCH on a collection', method: 'PATCH', path: '/res.partner', body: { name: 'x' }, status: 405, code: 'method_not_allowed' },
    { name: 'bulk ids not numbers', method: 'GET', path: '/res.partner/bulk?ids=1,a', status: 400, code: 'invalid_parameter' },
    { name: 'bulk without ids', method: 'GET', path: '/res.partner/bulk', status: 400, code: 'invalid_parameter' },
    { name: 'bulk ids as strings', method: 'POST', path: '/res.partner/bulk', body: { ids: ['1'] }, status: 400, code: 'invalid_body' },
    { name: 'bulk fractional ids', method: 'POST', path: '/res.partner/bulk', body: [1.5], status: 400, code: 'invalid_body' },
    { name: 'bulk empty', method: 'POST', path: '/res.partner/bulk', body: { ids: [] }, status: 400, code: 'invalid_body' },
    { name: 'bulk other keys', method: 'POST', path: '/res.partner/bulk', body: { ids: [1], domain: [] }, status: 400, code: 'invalid_body' },
    { name: 'bulk malformed JSON', method: 'POST', path: '/res.partner/bulk', body: '{"ids": [1,', status: 400, code: 'invalid_json' },
    { name: 'bulk text/plain', method: 'POST', path: '/res.partner/bulk', body: '1,2', headers: { 'Content-Type': 'text/plain' }, status: 415, code: 'unsupported_media_type' },
    { name: 'bulk too many', method: 'POST', path: '/res.partner/bulk', body: Array.from({ length: 201 }, (_, i) => i + 1), status: 400, code: 'too_many_ids' },
  ];
}

describe('bad input on write routes', () => {
  let sentinel: number;
  let blockedKey: string;
  before(async () => {
    sentinel = await (await admin()).execute<number>('res.partner', 'create', [{ name: unique('sentinel'), is_company: true }]);
    blockedKey = (await createKey({ userId: 2, scopes: [{ model: 'res.partner', blocked: ['comment'] }] })).key;
  });

  async function snapshot(): Promise<unknown[]> {
    const rpc = await admin();
    const everything = { context: { active_test: false } };
    return Promise.all([
      ...['res.partner', 'res.partner.category', 'res.country', 'res.users'].map((model) => rpc.execute<number>(model, 'search_count', [[]], everything)),
      rpc.execute('res.partner', 'read', [[sentinel], ['name', 'write_date', 'active', 'category_id', 'child_ids']]),
      rpc.execute('res.users', 'read', [[2], ['write_date', 'out_of_office_from']]),
    ]);
  }

  it('answers a clear 4xx problem for every case, never a 500, and changes nothing', async () => {
    const before = await snapshot();
    for (const c of cases(sentinel)) {
      const label = `${c.name}: ${c.method} ${c.path.slice(0, 80)}`;
      const r = await api(c.path, { method: c.method, body: c.body, headers: c.headers, key: c.key === 'blocked' ? blockedKey : undefined });
      assert.equal(r.status, c.status, `${label} → ${r.status} ${r.text.slice(0, 300)}`);
      assert.match(r.headers.get('content-type') ?? '', /application\/problem\+json/, label);
      if (c.code) assert.equal(r.body.code, c.code, `${label}: ${r.text.slice(0, 300)}`);
      assert.equal(r.body.status, c.status, label);
      assert.ok(r.body.request_id && r.body.detail && r.headers.get('x-request-id'), label);
      assert.doesNotMatch(r.text, /Traceback|File "|psycopg2|at [\w.]+ \(/, label);
    }
    assert.deepEqual(await snapshot(), before);
  });

  it('names every problem of one body in errors[]', async () => {
    const r = await api(`/res.partner/${sentinel}`, { method: 'PATCH', body: { nope: 1, id: 3, color: 'red', country_id: 0, category_id: { add: ['x'] } } });
    assert.equal(r.status, 400, r.text);
    assert.deepEqual(r.body.errors.map((e: { field: string; code: string }) => [e.field, e.code]), [
      ['nope', 'unknown_field'],
      ['id', 'field_readonly'],
      ['color', 'invalid_value'],
      ['country_id', 'invalid_value'],
      ['category_id.add', 'invalid_value'],
    ]);
  });
});
