import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { canonicalJson, requestDigest } from '../../../src/http/idempotency.js';

describe('request digest', () => {
  it('does not depend on the order of object keys', () => {
    assert.equal(canonicalJson({ b: 1, a: [{ d: 2, c: null }] }), '{"a":[{"c":null,"d":2}],"b":1}');
    assert.equal(requestDigest('POST', '/p', '', { a: 1, b: 2 }), requestDigest('POST', '/p', '', { b: 2, a: 1 }));
  });

  it('changes with the method, path, query and body', () => {
    const base = requestDigest('POST', '/p', 'fields=name', { a: 1 });
    assert.notEqual(base, requestDigest('PUT', '/p', 'fields=name', { a: 1 }));
    assert.notEqual(base, requestDigest('POST', '/q', 'fields=name', { a: 1 }));
    assert.notEqual(base, requestDigest('POST', '/p', '', { a: 1 }));
    assert.notEqual(base, requestDigest('POST', '/p', 'fields=name', { a: 2 }));
    assert.notEqual(requestDigest('DELETE', '/p', '', undefined), requestDigest('DELETE', '/p', '', null));
  });

  it('is RFC 8785 canonical JSON, and the digests stored before the canonicalizer library still match', () => {
    const body = JSON.parse('{"name":"Ünïcode ☃ 😀","b":[1,2.5,1e21,-0,null,true,{"z":1,"a":"x\\ny","é":2,"e":3}],"a":{}}');
    assert.equal(canonicalJson(body), '{"a":{},"b":[1,2.5,1e+21,0,null,true,{"a":"x\\ny","e":3,"z":1,"é":2}],"name":"Ünïcode ☃ 😀"}');
    // computed with the hand-written canonical JSON this replaced: in-flight keys survive the upgrade
    assert.equal(requestDigest('POST', '/api/v1/res.partner', 'fields=name', body), 'b9d3287c60fd515ae9f4a1054798ccdbe158f64e5c83266508177b5823abcfbb');
    assert.equal(requestDigest('DELETE', '/api/v1/res.partner/1', '', undefined), '16e6e5836a625a3066bf2b4b50ee4c368ab6642ed35fa813b5d7173dcf4db246');
  });

  it('digests a deeply nested body without overflowing the stack', () => {
    const deep = JSON.parse(`${'['.repeat(20_000)}${']'.repeat(20_000)}`) as unknown;
    assert.match(requestDigest('POST', '/p', '', deep), /^[0-9a-f]{64}$/);
  });
});
