/** Outbound destinations: public unicast only, private ranges with allow_private, never unspecified/multicast/broadcast. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkAddress } from '../../../src/webhooks/address-guard.js';

const PUBLIC = ['93.184.215.14', '8.8.8.8', '2606:4700:4700::1111', '::ffff:8.8.8.8'];
const PRIVATE = [
  '127.0.0.1', '127.9.9.9', '::1', // loopback
  '10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', // RFC 1918
  '169.254.169.254', 'fe80::1', // link-local (cloud metadata)
  'fc00::1', 'fd12:3456::1', // unique-local
  '100.64.0.1', '100.127.255.254', // CGNAT
  '::ffff:127.0.0.1', '::ffff:10.0.0.1', // IPv4-mapped
];
const NEVER = ['0.0.0.0', '::', '224.0.0.1', '239.255.255.250', 'ff02::1', '255.255.255.255'];

describe('address guard', () => {
  it('allows public unicast addresses', () => {
    for (const address of PUBLIC) assert.deepEqual(checkAddress(address, false), { allowed: true }, address);
  });
  it('refuses private, loopback, link-local, unique-local and CGNAT addresses without allow_private', () => {
    for (const address of PRIVATE) {
      const verdict = checkAddress(address, false);
      assert.equal(verdict.allowed, false, address);
      assert.match((verdict as { reason: string }).reason, /^refused: private address /);
    }
  });
  it('allows them with allow_private', () => {
    for (const address of PRIVATE) assert.deepEqual(checkAddress(address, true), { allowed: true }, address);
  });
  it('always refuses unspecified, multicast and broadcast addresses', () => {
    for (const address of NEVER) {
      assert.equal(checkAddress(address, true).allowed, false, address);
      assert.equal(checkAddress(address, false).allowed, false, address);
    }
  });
  it('refuses what is not an address', () => {
    assert.equal(checkAddress('localhost', true).allowed, false);
    assert.equal(checkAddress('', true).allowed, false);
  });
});
