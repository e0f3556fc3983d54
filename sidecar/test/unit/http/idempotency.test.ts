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
});
