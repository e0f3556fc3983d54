import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { digestKey, digestsEqual } from '../../../src/auth/api-key-token.js';
import { parseBasic } from '../../../src/auth/basic-auth.js';
import { isClientSecretFormat, newIssuedToken, parseIssuedToken } from '../../../src/auth/token-format.js';
import { BASIC_CHALLENGE } from '../../../src/auth/challenge.js';
import { invalidBearer, missingCredentials } from '../../../src/auth/challenge.js';

describe('issued tokens', () => {
  it('are high-entropy, prefixed by kind, and stored as a digest', () => {
    const session = newIssuedToken('session');
    const access = newIssuedToken('oauth');
    assert.match(session.plaintext, /^rgwst_[a-z0-9]{12}_[A-Za-z0-9_-]{43}$/);
    assert.match(access.plaintext, /^rgwat_[a-z0-9]{12}_[A-Za-z0-9_-]{43}$/);
    assert.equal(session.digest, digestKey(session.plaintext));
    assert.notEqual(session.prefix, newIssuedToken('session').prefix);
    assert.deepEqual(parseIssuedToken(access.plaintext), { kind: 'oauth', prefix: access.prefix });
    assert.equal(parseIssuedToken(`${access.plaintext}x`), null);
    assert.equal(parseIssuedToken('rgw_abcdefghij_xxx'), null);
    assert.ok(isClientSecretFormat(`rgwcs_abcdefghij_${'a'.repeat(43)}`));
  });

  it('compares digests without throwing on different lengths', () => {
    assert.ok(digestsEqual('ab', 'ab'));
    assert.ok(!digestsEqual('ab', 'abc'));
    assert.ok(!digestsEqual('ab', 'ac'));
  });
});

describe('Basic credentials (RFC 7617)', () => {
  it('splits at the first colon; the password may hold colons', () => {
    assert.deepEqual(parseBasic(Buffer.from('alice:pa:ss').toString('base64')), { login: 'alice', password: 'pa:ss' });
    assert.equal(parseBasic(Buffer.from('no-colon').toString('base64')), null);
    assert.equal(parseBasic(Buffer.from(':pw').toString('base64')), null);
    assert.equal(parseBasic('!!!'), null);
  });
});

describe('challenges (RFC 6750 §3)', () => {
  it('offers both schemes without credentials and names the error otherwise', () => {
    assert.match(missingCredentials().headers['WWW-Authenticate'] ?? '', /^Bearer realm="api", Basic realm="api"/);
    const invalid = invalidBearer('The "token" expired.');
    assert.equal(invalid.status, 401);
    assert.equal(invalid.headers['WWW-Authenticate'], `Bearer realm="api", error="invalid_token", error_description="The 'token' expired."`);
    assert.match(BASIC_CHALLENGE, /charset="UTF-8"/);
  });
});
