/**
 * What the request log keeps of payloads: secrets redacted by key name at
 * any depth and in query strings, long values shortened, summaries capped.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { READ_ANSWER_LIMITS, REDACTED, SUMMARY_MAX_CHARS, cap, isSensitiveKey, redact, redactPath, summarize } from '../../../src/requestlog/redaction.js';
import { textProblem } from '../../../src/http/text-checks.js';

describe('isSensitiveKey', () => {
  it('matches the secret names whatever their case and separators', () => {
    for (const name of [
      'password', 'Password', 'new_password', 'old_password', 'secret', 'client_secret', 'CLIENT_SECRET', 'token',
      'access_token', 'refresh_token', 'id_token', 'api_key', 'apikey', 'X-Api-Key', 'api-key', 'key', 'KEY',
      'authorization', 'Authorization', 'cookie', 'Set-Cookie', 'credential', 'credentials', 'webhook_secret',
    ]) {
      assert.equal(isSensitiveKey(name), true, name);
    }
  });

  it('leaves ordinary names alone, including key-like names that are not the key itself', () => {
    for (const name of ['name', 'email', 'key_id', 'prefix', 'keyword', 'monkey', 'login', 'id', 'model', 'status', 'token_type', 'Token_Lifetime']) {
      assert.equal(isSensitiveKey(name), false, name);
    }
  });
});

describe('redact', () => {
  it('replaces secrets at any depth, in objects inside arrays too', () => {
    const input = {
      login: 'admin',
      password: 'hunter2',
      data: { key: 'rgw_abc.def', record: { client_secret: 's3cr3t', name: 'n' } },
      items: [{ access_token: 'at' }, { nested: [{ Refresh_Token: 'rt', ok: 1 }] }],
      headers: { Authorization: 'Bearer x', Cookie: 'sid=1' },
    };
    const text = JSON.stringify(redact(input));
    for (const secret of ['hunter2', 'rgw_abc.def', 's3cr3t', '"at"', '"rt"', 'Bearer x', 'sid=1']) {
      assert.ok(!text.includes(secret), `${secret} leaked: ${text}`);
    }
    assert.deepEqual(redact(input), {
      login: 'admin',
      password: REDACTED,
      data: { key: REDACTED, record: { client_secret: REDACTED, name: 'n' } },
      items: [{ access_token: REDACTED }, { nested: [{ Refresh_Token: REDACTED, ok: 1 }] }],
      headers: { Authorization: REDACTED, Cookie: REDACTED },
    });
  });

  it('redacts a secret whatever its value type', () => {
    assert.deepEqual(redact({ password: 1234, token: null, secret: { a: 1 }, key: ['x'] }), {
      password: REDACTED, token: REDACTED, secret: REDACTED, key: REDACTED,
    });
  });

  it('shortens long strings and arrays and stops at a depth', () => {
    const long = 'x'.repeat(1000);
    assert.equal((redact(long) as string).length, 257);
    const wide = redact(Object.fromEntries(Array.from({ length: 80 }, (_, i) => [`f${i}`, i]))) as Record<string, unknown>;
    assert.equal(Object.keys(wide).length, 51);
    assert.equal(wide['…'], '30 more keys');
    const list = redact(Array.from({ length: 50 }, (_, i) => i)) as unknown[];
    assert.equal(list.length, 21);
    assert.equal(list[20], '… 30 more');
    let deep: unknown = 'bottom';
    for (let i = 0; i < 20; i += 1) deep = { d: deep };
    assert.ok(JSON.stringify(redact(deep)).includes('…'));
    assert.ok(!JSON.stringify(redact(deep)).includes('bottom'));
  });

  it('summarizes a read answer by its shape: list items are counted, single records and meta kept', () => {
    const answer = { data: [{ id: 1, name: 'a' }, { id: 2, name: 'b' }], meta: { count: 2, access_token: 'x' } };
    assert.equal(summarize(answer, READ_ANSWER_LIMITS), '{"data":["… 2 more"],"meta":{"count":2,"access_token":"[REDACTED]"}}');
    assert.equal(summarize({ data: { id: 1, password: 'p' } }, READ_ANSWER_LIMITS), '{"data":{"id":1,"password":"[REDACTED]"}}');
  });

  it('redacts secrets in the query strings of URL values (pagination links)', () => {
    assert.deepEqual(redact({ links: { self: 'http://h/api/v1/res.partner?fields=name&access_token=abc&limit=2', next: null } }), {
      links: { self: `http://h/api/v1/res.partner?fields=name&access_token=${REDACTED}&limit=2`, next: null },
    });
    assert.equal(redact('what? nothing=here'), 'what? nothing=here');
  });

  it('makes non-JSON values JSON-ready', () => {
    assert.deepEqual(redact({ at: new Date('2026-01-02T03:04:05Z'), n: 10n, f: () => 1, b: Buffer.from('abc') }), {
      at: '2026-01-02T03:04:05.000Z', n: '10', f: null, b: '<3 bytes>',
    });
  });
});

describe('summarize', () => {
  it('caps the JSON at 2,048 characters', () => {
    const big = { records: Array.from({ length: 20 }, (_, i) => ({ id: i, name: 'n'.repeat(250) })) };
    const summary = summarize(big) as string;
    assert.equal(summary.length, SUMMARY_MAX_CHARS);
    assert.ok(summary.endsWith('…'));
  });

  it('is null without a body, and for text that is not JSON (it could hide a secret)', () => {
    assert.equal(summarize(undefined), null);
    assert.equal(summarize(null), null);
    assert.equal(summarize('password=hunter2&login=x'), null);
    assert.equal(summarize(Buffer.from('<html>')), null);
  });

  it('parses JSON text and redacts it', () => {
    assert.equal(summarize('{"token":"abc","ok":true}'), '{"token":"[REDACTED]","ok":true}');
  });

  it('never summarizes a stream', () => {
    assert.equal(summarize({ pipe: () => undefined, on: () => undefined }), null);
  });
});

describe('redactPath', () => {
  it('redacts sensitive query parameters, keeps the others and the order', () => {
    assert.equal(
      redactPath('/api/v1/res.partner?limit=5&access_token=abc&API_KEY=k&key=rgw_x&fields=name&password'),
      `/api/v1/res.partner?limit=5&access_token=${REDACTED}&API_KEY=${REDACTED}&key=${REDACTED}&fields=name&password`,
    );
  });

  it('recognizes encoded names and survives malformed encoding', () => {
    assert.equal(redactPath('/x?client%5Fsecret=s&a=%E0%A4%A'), `/x?client%5Fsecret=${REDACTED}&a=%E0%A4%A`);
    assert.equal(redactPath('/x?%E0%A4%A=1'), '/x?%E0%A4%A=1');
  });

  it('caps long paths', () => {
    assert.equal(redactPath(`/api/v1/${'a'.repeat(5000)}`).length, SUMMARY_MAX_CHARS);
    assert.equal(cap('abc', 2), 'a…');
  });
});

describe('storable text', () => {
  const storable = (text: string) => textProblem(text) === null;

  it('replaces NUL and unpaired surrogates in summary values and keys', () => {
    const summary = summarize({ 'na\u0000me': 'a\u0000b', list: ['\uD800', { 'k\uDC00': 'x\uD800y' }] }) as string;
    const parsed = JSON.parse(summary) as Record<string, unknown>;
    assert.deepEqual(parsed, { 'na\uFFFDme': 'a\uFFFDb', list: ['\uFFFD', { 'k\uFFFD': 'x\uFFFDy' }] });
    assert.ok(!summary.includes('\\u0000') && !/\\ud[89a-f]/i.test(summary), summary);
  });

  it('never cuts a surrogate pair in half when capping', () => {
    const text = `${'a'.repeat(2_046)}😀tail`;
    assert.ok(storable(cap(text)));
    assert.ok(storable(cap('😀'.repeat(300), 11)));
    assert.ok(storable(redact('x' + '😀'.repeat(200)) as string));
    assert.ok(storable(cap('x\u0000y')));
  });
});
