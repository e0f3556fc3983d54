import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { foldChanges, pageOf, type ChangeOperation, type ChangeRow } from '../../../src/feed/fold.js';

let nextId = 0n;
function row(txid: number, resId: number, operation: ChangeOperation): ChangeRow {
  nextId += 1n;
  return { txid: BigInt(txid), id: nextId, resId, operation };
}

describe('folding change rows', () => {
  it('gives one entry per record, decided by its last row', () => {
    const rows = [
      row(10, 1, 'create'),
      row(10, 2, 'create'),
      row(11, 1, 'update'),
      row(12, 2, 'delete'),
      row(12, 3, 'update'),
      row(13, 4, 'create'),
      row(14, 4, 'delete'),
      row(15, 1, 'update'),
    ];
    assert.deepEqual(foldChanges(rows), { changedIds: [3, 1], deletedIds: [2, 4] });
  });

  it('folds an empty page to nothing', () => {
    assert.deepEqual(foldChanges([]), { changedIds: [], deletedIds: [] });
  });
});

describe('a feed page', () => {
  const after = { txid: 5n, id: 0n };

  it('cuts at the limit, says there is more, and continues from the last row served', () => {
    const rows = [row(6, 1, 'create'), row(6, 2, 'create'), row(7, 3, 'update')];
    const page = pageOf(rows, 2, after, 50n);
    assert.equal(page.rows.length, 2);
    assert.equal(page.hasMore, true);
    assert.deepEqual(page.next, { txid: 6n, id: (rows[1] as ChangeRow).id });
  });

  it('continues a last page from the horizon: nothing below it can still appear', () => {
    const rows = [row(6, 1, 'create'), row(7, 3, 'update')];
    const page = pageOf(rows, 2, after, 50n);
    assert.equal(page.hasMore, false);
    assert.deepEqual(page.next, { txid: 50n, id: 0n });
  });

  it('moves an empty page to the horizon, never backwards', () => {
    assert.deepEqual(pageOf([], 10, after, 9n).next, { txid: 9n, id: 0n });
    assert.deepEqual(pageOf([], 10, { txid: 12n, id: 4n }, 9n).next, { txid: 12n, id: 4n });
  });

  it('refuses rows that are not after the cursor', () => {
    assert.throws(() => pageOf([row(4, 1, 'create')], 10, after, 50n), /out of order/);
  });
});
