import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseAddressList } from '../../../src/auth/address-match.js';
import { resolveClientAddress } from '../../../src/auth/client-address.js';
import { digestKey, digestsEqual, parseKeyPrefix } from '../../../src/auth/api-key-token.js';

describe('parseAddressList', () => {
  it('matches IPs and CIDRs, v4 and v6, and v4-mapped v6', () => {
    const list = parseAddressList('10.0.0.0/8, 192.168.1.5\n2001:db8::/32');
    assert.ok(list.matches('10.1.2.3'));
    assert.ok(list.matches('::ffff:10.1.2.3'));
    assert.ok(list.matches('192.168.1.5'));
    assert.ok(!list.matches('192.168.1.6'));
    assert.ok(list.matches('2001:db8::1'));
    assert.ok(!list.matches('not an ip'));
    assert.ok(parseAddressList('').empty);
  });
  it('refuses malformed entries', () => {
    assert.throws(() => parseAddressList('10.0.0.0/33'), /CIDR/);
    assert.throws(() => parseAddressList('example.com'), /IP/);
  });
});

describe('resolveClientAddress', () => {
  const trusted = parseAddressList('127.0.0.1, 10.0.0.0/8');
  it('uses the peer when it is not a trusted proxy', () => {
    assert.equal(resolveClientAddress('203.0.113.9', '1.2.3.4', trusted), '203.0.113.9');
  });
  it('takes the right-most untrusted hop behind trusted proxies', () => {
    assert.equal(resolveClientAddress('127.0.0.1', '6.6.6.6, 203.0.113.9, 10.0.0.2', trusted), '203.0.113.9');
  });
});

describe('API key tokens', () => {
  it('parses the prefix of well-formed keys only', () => {
    const key = `rgw_abcdefghij_${'A'.repeat(43)}`;
    assert.equal(parseKeyPrefix(key), 'abcdefghij');
    for (const bad of ['rgw_abc_x', `rgw_ABCDEFGHIJ_${'A'.repeat(43)}`, `${key}x`, '', `xrgw_abcdefghij_${'A'.repeat(43)}`]) {
      assert.equal(parseKeyPrefix(bad), null, bad);
    }
  });
  it('digests with SHA-256 and compares in constant time', () => {
    assert.equal(digestKey('abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    assert.ok(digestsEqual(digestKey('a'), digestKey('a')));
    assert.ok(!digestsEqual(digestKey('a'), digestKey('b')));
    assert.ok(!digestsEqual('short', digestKey('a')));
  });
});
