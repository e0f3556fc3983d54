/** The v2 bridge signature: what it covers, and the vector the addon's tests check too. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bridgeSignature, NONCE_HEADER, SIGNATURE_HEADER, signBridgeRequest, TIMESTAMP_HEADER } from '../../../src/odoo/signature.js';

const request = { method: 'POST', path: '/rest_gateway/bridge', database: 'odoo', body: '{"uid":2}', timestamp: 1764345600, nonce: 'AAAAAAAAAAAAAAAAAAAAAA' };

describe('bridge signature', () => {
  it('matches the addon (addon/rest_gateway/tests/test_bridge_signature.py, test_sign_matches_the_sidecar)', () => {
    assert.equal(bridgeSignature('s3cret', request), '729ab427bfdfe9af7151df28a34b155ea36313fa4b6587a401265289c6e4b61d');
  });
  it('covers the method, path, database, timestamp, nonce and body', () => {
    const base = bridgeSignature('s3cret', request);
    for (const changed of [{ method: 'GET' }, { path: '/rest_gateway/bridge/ro' }, { database: 'other' }, { timestamp: 1764345601 }, { nonce: 'BBBBBBBBBBBBBBBBBBBBBB' }, { body: '{"uid":1}' }]) {
      assert.notEqual(bridgeSignature('s3cret', { ...request, ...changed }), base, JSON.stringify(changed));
    }
  });
  it('signs each request with a fresh nonce', () => {
    const { nonce: _nonce, ...unsigned } = request;
    const first = signBridgeRequest('s3cret', unsigned);
    const second = signBridgeRequest('s3cret', unsigned);
    assert.match(first[NONCE_HEADER] ?? '', /^[A-Za-z0-9_-]{22}$/);
    assert.notEqual(first[NONCE_HEADER], second[NONCE_HEADER]);
    assert.equal(first[TIMESTAMP_HEADER], '1764345600');
    assert.match(first[SIGNATURE_HEADER] ?? '', /^v2=[0-9a-f]{64}$/);
  });
});
