import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiError } from '../../../src/errors.js';
import { comparePositions, decodeCursor, encodeCursor, isExpired, laterPosition } from '../../../src/feed/cursor.js';
import { parseFeedLimit, parseSince } from '../../../src/feed/params.js';

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof ApiError);
    return `${error.status} ${error.code}`;
  }
  return 'ok';
}

describe('change feed cursor codec', () => {
  it('round-trips positions, including 64-bit transaction ids', () => {
    for (const position of [{ txid: 0n, id: 0n }, { txid: 742n, id: 9n }, { txid: (1n << 63n) - 1n, id: (1n << 62n) + 5n }]) {
      const cursor = encodeCursor(position);
      assert.match(cursor, /^[A-Za-z0-9_-]+$/);
      assert.deepEqual(decodeCursor(cursor), position);
    }
  });

  it('is opaque: not a bare number', () => {
    assert.doesNotMatch(encodeCursor({ txid: 742n, id: 9n }), /742/);
  });

  it('refuses anything it did not issue', () => {
    const b64 = (text: string) => Buffer.from(text).toString('base64url');
    for (const raw of [
      '', 'garbage!', 'abc', '1.2.3', b64('1.2'), b64('2.5.6'), b64('1.05.6'), b64('1.-5.6'), b64('1.5.6 '),
      b64(`1.${1n << 63n}.1`), b64('1.99999999999999999999.1'), `${encodeCursor({ txid: 5n, id: 6n })}=`, 'x'.repeat(200),
    ]) {
      assert.equal(decodeCursor(raw), null, raw);
    }
  });

  it('orders positions by txid, then id', () => {
    assert.equal(comparePositions({ txid: 5n, id: 100n }, { txid: 6n, id: 1n }), -1);
    assert.equal(comparePositions({ txid: 6n, id: 2n }, { txid: 6n, id: 1n }), 1);
    assert.equal(comparePositions({ txid: 6n, id: 1n }, { txid: 6n, id: 1n }), 0);
    assert.deepEqual(laterPosition({ txid: 5n, id: 100n }, { txid: 6n, id: 0n }), { txid: 6n, id: 0n });
  });

  it('expires cursors at or below the purge horizon', () => {
    assert.equal(isExpired({ txid: 10n, id: 3n }, 0n), false);
    assert.equal(isExpired({ txid: 10n, id: 3n }, 9n), false);
    assert.equal(isExpired({ txid: 10n, id: 3n }, 10n), true);
    assert.equal(isExpired({ txid: 10n, id: 3n }, 11n), true);
  });
});

describe('change feed parameters', () => {
  const grant = { model: 'res.partner', maxPageSize: 500 };

  it('reads since: absent, 0, a cursor, or a 400', () => {
    assert.deepEqual(parseSince({}), { kind: 'now' });
    assert.deepEqual(parseSince({ since: '0' }), { kind: 'start' });
    assert.deepEqual(parseSince({ since: encodeCursor({ txid: 8n, id: 2n }) }), { kind: 'after', position: { txid: 8n, id: 2n } });
    assert.equal(code(() => parseSince({ since: 'nope' })), '400 invalid_cursor');
    assert.equal(code(() => parseSince({ since: '' })), '400 invalid_cursor');
    assert.equal(code(() => parseSince({ since: ['0', '0'] })), '400 invalid_parameter');
  });

  it('limits pages to the model maximum, 100 by default', () => {
    assert.equal(parseFeedLimit({}, grant), 100);
    assert.equal(parseFeedLimit({}, { model: 'x', maxPageSize: 50 }), 50);
    assert.equal(parseFeedLimit({ limit: '500' }, grant), 500);
    assert.equal(code(() => parseFeedLimit({ limit: '501' }, grant)), '400 page_size_exceeded');
    assert.equal(code(() => parseFeedLimit({ limit: '0' }, grant)), '400 invalid_parameter');
  });
});
