/**
 * Hostile input at the edge, on every route family (records, auth/login,
 * auth/password, oauth/token, admin/keys, webhooks): NUL characters,
 * unpaired surrogates and invalid UTF-8 in the path, the query, Basic
 * credentials, JSON and form bodies; deep nesting; huge numbers;
 * unserved methods; bad Content-Encoding. Always a clear 4xx, never a 500,
 * never exception text, and nothing changed.
 */
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { request } from 'node:http';
import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { describe, it } from 'node:test';
import { basic } from './support/auth.js';
import { admin, api, stack } from './support/stack.js';

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  body: any;
}

/** A request as sent, byte for byte (fetch refuses TRACE and re-encodes some bodies). */
function raw(method: string, path: string, headers: Record<string, string> = {}, body?: Buffer | string): Promise<RawResponse> {
  const url = new URL(`${stack.api_url}${path}`);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, method, path: `${url.pathname}${url.search}`, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed: unknown = text;
        try {
          parsed = JSON.parse(text);
        } catch {
          /* not JSON */
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, body: parsed });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

const KEY = { Authorization: `Bearer ${stack.api_key}` };
const JSON_KEY = { ...KEY, 'Content-Type': 'application/json' };
const JSON_ONLY = { 'Content-Type': 'application/json' };
const ADMIN_BASIC = { Authorization: basic(stack.odoo_login, stack.odoo_password), 'Content-Type': 'application/json' };
const FORM = { 'Content-Type': 'application/x-www-form-urlencoded' };
const enc = encodeURIComponent;
const basicBytes = (login: Buffer, password: Buffer) => ({ Authorization: `Basic ${Buffer.concat([login, Buffer.from(':'), password]).toString('base64')}` });
/** A surrogate spelled in UTF-8 (CESU-8): not valid UTF-8. */
const CESU = Buffer.from([0xed, 0xa0, 0x80]);

interface Case {
  name: string;
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  status: number;
  code: string;
}

const CASES: Case[] = [
  // records: path, query, JSON parameters, bodies
  { name: 'NUL in the path', method: 'GET', path: '/x%00y', headers: KEY, status: 400, code: 'invalid_parameter' },
  { name: 'NUL in a record id', method: 'GET', path: '/res.partner/1%00', headers: KEY, status: 400, code: 'invalid_parameter' },
  { name: 'a surrogate in UTF-8 in the path', method: 'GET', path: '/res.partner%ED%A0%80', headers: KEY, status: 400, code: 'invalid_parameter' },
  { name: 'NUL in a query value', method: 'GET', path: '/res.partner?fields=na%00me', headers: KEY, status: 400, code: 'invalid_parameter' },
  { name: 'NUL in a query name', method: 'GET', path: '/res.partner?fi%00elds=name', headers: KEY, status: 400, code: 'invalid_parameter' },
  { name: 'invalid UTF-8 in a query value', method: 'GET', path: '/res.partner?filter[name][eq]=a%FF', headers: KEY, status: 400, code: 'invalid_parameter' },
  { name: 'NUL in a structured filter', method: 'GET', path: '/res.partner?filter[name][eq]=a%00', headers: KEY, status: 400, code: 'invalid_parameter' },
  { name: '\\u0000 in a JSON filter', method: 'GET', path: `/res.partner?filter=${enc('[["name","=","a\\u0000"]]')}`, headers: KEY, status: 400, code: 'invalid_parameter' },
  { name: 'a lone surrogate in a JSON filter', method: 'GET', path: `/res.partner?filter=${enc('[["name","=","a\\ud800"]]')}`, headers: KEY, status: 400, code: 'invalid_parameter' },
  { name: '1e308 in a JSON filter', method: 'GET', path: `/res.partner?filter=${enc('[["partner_latitude","=",1e308]]')}`, headers: KEY, status: 400, code: 'invalid_parameter' },
  { name: 'a JSON filter nested 3,000 deep', method: 'GET', path: `/res.partner?filter=${enc(`${'['.repeat(3_000)}${']'.repeat(3_000)}`)}`, headers: KEY, status: 400, code: 'invalid_parameter' },
  { name: 'NUL in an expansion filter', method: 'GET', path: `/res.partner?expand=child_ids&expand[child_ids][filter]=${enc('[["name","=","\\u0000"]]')}`, headers: KEY, status: 400, code: 'invalid_parameter' },
  { name: 'NUL in a change feed cursor', method: 'GET', path: '/res.partner/changes?cursor=a%00', headers: KEY, status: 400, code: 'invalid_parameter' },
  { name: '\\u0000 in a body value', method: 'POST', path: '/res.partner', headers: JSON_KEY, body: '{"name":"a\\u0000b"}', status: 400, code: 'invalid_value' },
  { name: 'a lone surrogate in a body value', method: 'POST', path: '/res.partner', headers: JSON_KEY, body: '{"name":"a\\udc00b"}', status: 400, code: 'invalid_value' },
  { name: '\\u0000 in a body key', method: 'POST', path: '/res.partner', headers: JSON_KEY, body: '{"na\\u0000me":"x"}', status: 400, code: 'invalid_value' },
  { name: '1e308 in a float field (create)', method: 'POST', path: '/res.partner', headers: JSON_KEY, body: '{"name":"x","partner_latitude":1e308}', status: 400, code: 'invalid_value' },
  { name: '1e308 in a float field (update)', method: 'PATCH', path: '/res.partner/1', headers: JSON_KEY, body: '{"partner_latitude":-1e308}', status: 400, code: 'invalid_value' },
  { name: '1e308 in a batch', method: 'POST', path: '/res.partner/batch', headers: JSON_KEY, body: '{"operations":[{"op":"create","values":{"name":"x","partner_latitude":1e308}}]}', status: 400, code: 'invalid_value' },
  { name: 'NUL in a batch', method: 'POST', path: '/res.partner/batch', headers: JSON_KEY, body: '{"operations":[{"op":"create","values":{"name":"a\\u0000"}}]}', status: 400, code: 'invalid_value' },
  { name: 'a body nested 20,000 deep', method: 'POST', path: '/res.partner', headers: JSON_KEY, body: `${'['.repeat(20_000)}${']'.repeat(20_000)}`, status: 400, code: 'invalid_body' },
  // Basic credentials
  { name: 'NUL in a Basic login', method: 'GET', path: '/res.partner?limit=1', headers: basicBytes(Buffer.from('adm\0in'), Buffer.from('admin')), status: 400, code: 'invalid_parameter' },
  { name: 'NUL in a Basic password', method: 'GET', path: '/res.partner?limit=1', headers: basicBytes(Buffer.from('admin'), Buffer.from('adm\0in')), status: 400, code: 'invalid_parameter' },
  { name: 'invalid UTF-8 in Basic credentials', method: 'GET', path: '/res.partner?limit=1', headers: basicBytes(Buffer.concat([Buffer.from('a'), CESU]), Buffer.from('x')), status: 400, code: 'invalid_parameter' },
  { name: 'a Basic password longer than Odoo can verify', method: 'GET', path: '/models', headers: { Authorization: basic(stack.odoo_login, 'x'.repeat(4_097)) }, status: 401, code: 'invalid_credentials' },
  // auth/login, auth/password
  { name: 'NUL in a login', method: 'POST', path: '/auth/login', headers: JSON_ONLY, body: '{"login":"a\\u0000b","password":"x"}', status: 400, code: 'invalid_value' },
  { name: 'a lone surrogate in a login', method: 'POST', path: '/auth/login', headers: JSON_ONLY, body: '{"login":"a\\ud800b","password":"x"}', status: 400, code: 'invalid_value' },
  { name: 'NUL in a log-in password', method: 'POST', path: '/auth/login', headers: JSON_ONLY, body: '{"login":"admin","password":"admin\\u0000"}', status: 400, code: 'invalid_value' },
  { name: 'NUL in a new password', method: 'POST', path: '/auth/password', headers: ADMIN_BASIC, body: `{"current_password":"${stack.odoo_password}","new_password":"new\\u0000password-1"}`, status: 400, code: 'invalid_value' },
  { name: 'a lone surrogate in a new password', method: 'POST', path: '/auth/password', headers: ADMIN_BASIC, body: `{"current_password":"${stack.odoo_password}","new_password":"new\\ud800password-1"}`, status: 400, code: 'invalid_value' },
  { name: 'NUL in a password reset login', method: 'POST', path: '/auth/password/reset', headers: JSON_ONLY, body: '{"login":"a\\u0000b"}', status: 400, code: 'invalid_value' },
  // admin/keys, webhooks
  { name: 'a lone surrogate in an admin key domain', method: 'POST', path: '/admin/keys', headers: ADMIN_BASIC, body: '{"name":"k","user_id":2,"scopes":[{"model":"res.partner","domain":"[[\\"name\\",\\"=\\",\\"\\ud800\\"]]"}]}', status: 400, code: 'invalid_value' },
  { name: 'NUL in an admin key name', method: 'POST', path: '/admin/keys', headers: ADMIN_BASIC, body: '{"name":"k\\u0000","user_id":2}', status: 400, code: 'invalid_value' },
  { name: 'NUL in a webhook domain', method: 'POST', path: '/webhooks', headers: JSON_KEY, body: '{"url":"https://example.com/h","model":"res.partner","events":["create"],"domain":"[[\\"name\\",\\"=\\",\\"\\u0000\\"]]"}', status: 400, code: 'invalid_value' },
  { name: 'NUL in a webhook path', method: 'GET', path: '/webhooks/1%00', headers: KEY, status: 400, code: 'invalid_parameter' },
];

/** Exception text that once reached `detail` (a codec's name alone, PostgreSQL's words for NUL, tracebacks). */
const EXCEPTION_TEXT = /^'?utf-8'?$|string literal|NUL \(0x00\)|Traceback|psycopg|at [\w.]+ \(/i;

function assertProblem(r: RawResponse, status: number, code: string, label: string): void {
  assert.equal(r.status, status, `${label}: ${r.status} ${r.text.slice(0, 300)}`);
  assert.match(String(r.headers['content-type']), /application\/problem\+json/, label);
  assert.equal(r.body.code, code, `${label}: ${r.text.slice(0, 300)}`);
  assert.doesNotMatch(String(r.body.detail), EXCEPTION_TEXT, label);
  assert.ok(!r.text.includes('\\u0000'), `${label}: the answer echoes the NUL`);
}

describe('hostile input at the edge', () => {
  it('answers a clear 400 on every route family, never a 500, and changes nothing', async () => {
    const rpc = await admin();
    const partners = await rpc.execute<number>('res.partner', 'search_count', [[]], { context: { active_test: false } });
    const keys = await rpc.execute<number>('rest.gateway.key', 'search_count', [[]], { context: { active_test: false } });
    for (const c of CASES) {
      const r = await raw(c.method, c.path, { ...c.headers, 'X-Request-ID': `hostile-${randomUUID()}` }, c.body);
      assertProblem(r, c.status, c.code, c.name);
    }
    assert.equal(await rpc.execute<number>('res.partner', 'search_count', [[]], { context: { active_test: false } }), partners);
    assert.equal(await rpc.execute<number>('rest.gateway.key', 'search_count', [[]], { context: { active_test: false } }), keys);
    // the admin's password is unchanged: Basic with it still works
    assert.equal((await api('/res.partner?limit=1', { key: null, headers: { Authorization: basic(stack.odoo_login, stack.odoo_password) } })).status, 200);
  });

  it('names where the problem is and never echoes the value', async () => {
    const r = await raw('POST', '/res.partner/batch', JSON_KEY, '{"operations":[{"op":"create","values":{"name":"secret\\u0000"}}]}');
    assert.deepEqual(r.body.errors, [{ field: 'operations[0].values.name', message: 'must not contain NUL characters', code: 'invalid_value' }]);
    assert.ok(!r.text.includes('secret'));
    const q = await raw('GET', `/res.partner?filter=${enc('[["name","=","secret\\ud800"]]')}`, KEY);
    assert.equal(q.body.errors[0].field, 'filter');
    assert.match(q.body.detail, /"filter" at \[0\]\[2\]/);
    assert.ok(!q.text.includes('secret'));
  });

  it('refuses hostile OAuth form bodies as RFC 6749 invalid_request', async () => {
    for (const body of ['grant_type=client_credentials&client_id=a%00b&client_secret=x', 'grant_type=client_credentials&client_id=a%ED%A0%80&client_secret=x']) {
      const r = await raw('POST', '/oauth/token', FORM, body);
      assert.equal(r.status, 400, r.text);
      assert.equal(r.body.error, 'invalid_request', r.text);
    }
  });

  it('answers 405 with Allow to methods the API does not serve, before authentication', async () => {
    for (const method of ['TRACE', 'PROPFIND', 'MKCOL', 'LOCK']) {
      const r = await raw(method, '/res.partner');
      assertProblem(r, 405, 'method_not_allowed', method);
      assert.equal(r.headers.allow, 'HEAD, GET, POST', method);
    }
    const record = await raw('PROPFIND', '/res.partner/1', KEY);
    assert.match(String(record.headers.allow), /GET/);
    assert.match(String(record.headers.allow), /DELETE/);
    assertProblem(await raw('TRACE', '/no/such/route/here/at/all'), 404, 'not_found', 'TRACE on no route');
  });

  it("answers problem+json to what Node's HTTP parser refuses (an unknown method, a malformed request line)", async () => {
    const url = new URL(stack.api_url);
    const send = (text: string): Promise<string> =>
      new Promise((resolve, reject) => {
        const socket = connect(Number(url.port), url.hostname, () => socket.end(text));
        let answer = '';
        socket.on('data', (chunk: Buffer) => (answer += chunk.toString('utf8')));
        socket.on('close', () => resolve(answer));
        socket.on('error', reject);
      });
    for (const [request, status, code] of [
      [`FOO ${url.pathname}/res.partner HTTP/1.1\r\nHost: x\r\n\r\n`, 405, 'method_not_allowed'],
      ['GET /api/v1/res.partner HTTP/9.9 junk\r\n\r\n', 400, 'bad_request'],
    ] as const) {
      const answer = await send(request);
      assert.match(answer, new RegExp(`^HTTP/1.1 ${status} `), answer);
      assert.match(answer, /content-type: application\/problem\+json/i);
      const body = JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4));
      assert.equal(body.code, code);
      assert.equal(body.status, status);
    }
  });

  it('answers 415 to an unknown Content-Encoding and 400 to a body that does not decode', async () => {
    const bogus = await raw('POST', '/res.partner', { ...JSON_KEY, 'Content-Encoding': 'bogus' }, '{"name":"x"}');
    assertProblem(bogus, 415, 'unsupported_media_type', 'bogus coding');
    assert.match(String(bogus.headers['accept-encoding']), /gzip/);
    for (const coding of ['gzip', 'deflate', 'br']) {
      assertProblem(await raw('POST', '/res.partner', { ...JSON_KEY, 'Content-Encoding': coding }, '{"name":"x"}'), 400, 'invalid_body', coding);
    }
    // a real gzip body is still read
    const name = `gzip-${randomUUID()}`;
    const ok = await raw('POST', '/res.partner', { ...JSON_KEY, 'Content-Encoding': 'gzip' }, gzipSync(JSON.stringify({ name })));
    assert.equal(ok.status, 201, ok.text);
    await (await admin()).execute('res.partner', 'unlink', [[ok.body.data.id]]);
  });

  it('bounds the depth of a body with an Idempotency-Key (the digest used to overflow the stack)', async () => {
    const body = `${'['.repeat(20_000)}${']'.repeat(20_000)}`;
    assert.ok(body.length >= 40_000);
    const r = await raw('POST', '/res.partner', { ...JSON_KEY, 'Idempotency-Key': `deep-${randomUUID()}` }, body);
    assertProblem(r, 400, 'invalid_body', 'deep body with a key');
    const objects = `${'{"a":'.repeat(65)}1${'}'.repeat(65)}`;
    assertProblem(await raw('PATCH', '/res.partner/1', { ...JSON_KEY, 'Idempotency-Key': `deep-${randomUUID()}` }, objects), 400, 'invalid_body', '65 objects');
  });
});
