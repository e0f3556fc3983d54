/**
 * Hostile and malformed input on every read route: always a 4xx
 * problem+json with a stable code and a request id, never a 500 or a
 * traceback, and nothing changed in the database.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { admin, api } from './support/stack.js';

const enc = encodeURIComponent;

const CASES: Array<[string, number, string]> = [
  [`/res.partner?filter=${enc('[["name","=",')}`, 400, 'invalid_filter'],
  [`/res.partner?filter=${enc('{"name":1}')}`, 400, 'invalid_filter'],
  [`/res.partner?filter=${enc('[["nope","=",1]]')}`, 400, 'unknown_field'],
  [`/res.partner?filter=${enc('[["name","=","x\'); DROP TABLE res_partner; --"]]')}`, 200, ''],
  [`/res.partner?filter=${enc('[["name) OR 1=1 --","=","x"]]')}`, 400, 'invalid_filter'],
  [`/res.partner?filter=${enc('[["name","any!",[]]]')}`, 400, 'invalid_filter'],
  [`/res.partner?filter=${enc('[["id","in",{"a":1}]]')}`, 400, 'invalid_filter'],
  [`/res.partner?filter=${enc('[["id","=","not a number"]]')}`, 400, 'invalid_filter'],
  [`/res.partner?filter=${enc('[["active","=","yes"]]')}`, 400, 'invalid_filter'],
  [`/res.partner?filter=${enc('[["create_date",">","not a date"]]')}`, 400, ''],
  [`/res.partner?filter=${enc(JSON.stringify(Array.from({ length: 500 }, () => ['id', '=', 1])))}`, 400, 'invalid_filter'],
  [`/res.partner?filter=${'x'.repeat(40_000)}`, 400, 'invalid_filter'],
  ['/res.partner?limit=-1', 400, 'invalid_parameter'],
  ['/res.partner?limit=1000000', 400, 'page_size_exceeded'],
  ['/res.partner?limit=abc', 400, 'invalid_parameter'],
  ['/res.partner?limit=1&limit=2', 400, 'invalid_parameter'],
  ['/res.partner?offset=-3', 400, 'invalid_parameter'],
  ['/res.partner?page=0', 400, 'invalid_parameter'],
  ['/res.partner?fields=name,nope', 400, 'unknown_field'],
  ['/res.partner?fields=name;drop', 400, 'invalid_parameter'],
  ['/res.partner?sort=name;drop', 400, 'invalid_parameter'],
  ['/res.partner?order=name%20desc%2C%20(select%201)', 400, 'invalid_parameter'],
  ['/res.partner?count=maybe', 400, 'invalid_parameter'],
  ['/res.partner?binary=hex', 400, 'invalid_parameter'],
  ['/res.partner/abc', 400, 'invalid_parameter'],
  ['/res.partner/-1', 400, 'invalid_parameter'],
  ['/res.partner/1.5', 400, 'invalid_parameter'],
  ['/res.partner/99999999999', 400, 'invalid_parameter'],
  ['/res.partner?expand=child_ids.child_ids.child_ids.child_ids.child_ids', 400, 'expand_too_deep'],
  ['/res.partner?expand=nope', 400, 'unknown_field'],
  ['/res.partner?expand=name', 400, 'invalid_parameter'],
  ['/res.partner?expand=country_id&expand[country_id][limit]=5', 400, 'invalid_parameter'],
  ['/res.partner?expand=child_ids&expand[child_ids][limit]=-1', 400, 'invalid_parameter'],
  ['/res.partner?expand=child_ids&expand[child_ids][fields]=nope', 400, 'unknown_field'],
  [`/res.partner?expand=child_ids&expand[child_ids][filter]=${enc('[["x"')}`, 400, 'invalid_filter'],
  ['/res.partner?expand=child_ids&expand[child_ids][sort]=name;x', 400, 'invalid_parameter'],
  ['/res.partner?expand[child_ids][fields]=name', 400, 'invalid_parameter'],
  [`/res.partner?expand=${enc('country_id) or 1=1')}`, 400, 'invalid_parameter'],
  ['/res.partner?filter[name][regex]=x', 400, 'invalid_filter'],
  ['/res.partner?filter[id][eq]=abc', 400, 'invalid_filter'],
  ['/res.partner?filter[nope][eq]=1', 400, 'unknown_field'],
  ['/res.partner?filter[name][eq]=a&filter[name][eq]=b', 400, 'invalid_filter'],
  ['/res.partner?lang=xx_XX', 400, 'invalid_parameter'],
  ['/res.partner?lang=en_US&lang=fr_FR', 400, 'invalid_parameter'],
  ['/res.partner/fields?lang=zz', 400, 'invalid_parameter'],
  ['/no.such.model/fields', 404, 'model_not_found'],
  ['/no.such.model', 404, 'model_not_found'],
  ['/ir.config_parameter', 404, 'model_not_found'],
  ['/res.partner/1/nothing/here', 404, 'not_found'],
];

describe('bad input on read routes', () => {
  it('answers a clear 4xx problem, never a 500, and changes nothing', async () => {
    const rpc = await admin();
    const before = await rpc.execute<number>('res.partner', 'search_count', [[]]);
    for (const [path, status, code] of CASES) {
      const r = await api(path);
      assert.equal(r.status, status, `${path.slice(0, 120)} → ${r.status} ${r.text.slice(0, 300)}`);
      assert.ok(r.headers.get('x-request-id'));
      if (status >= 400) {
        assert.match(r.headers.get('content-type') ?? '', /application\/problem\+json/, path);
        if (code) assert.equal(r.body.code, code, `${path.slice(0, 120)}: ${r.text.slice(0, 300)}`);
        assert.equal(r.body.status, status);
        assert.ok(r.body.request_id && r.body.detail);
        assert.doesNotMatch(r.text, /Traceback|File "|psycopg2|at [\w.]+ \(/);
      }
    }
    assert.equal(await rpc.execute<number>('res.partner', 'search_count', [[]]), before);
  });

  it('answers 431 for a request line beyond the header size limit', async () => {
    const r = await api(`/res.partner?filter=${'x'.repeat(200_000)}`);
    assert.equal(r.status, 431);
  });

  it('refuses malformed and foreign companies', async () => {
    for (const [value, status] of [['abc', 400], ['1,,2', 400], ['-1', 400], ['99999', 403], [`${'1,'.repeat(200)}1`, 400]] as const) {
      const r = await api('/res.partner?limit=1', { headers: { 'X-Company-Id': value } });
      assert.equal(r.status, status, `${value}: ${r.text}`);
    }
  });

  it('refuses unsupported methods with 405 and an Allow header', async () => {
    const r = await api('/models', { method: 'DELETE' });
    assert.equal(r.status, 405);
    assert.equal(r.body.code, 'method_not_allowed');
  });
});
