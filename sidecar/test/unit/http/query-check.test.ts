import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiError } from '../../../src/errors.js';
import { checkQueryParameters, unknownParameters } from '../../../src/http/query-check.js';
import { CHANGES_PARAMS, LIST_PARAMS, WRITE_PARAMS } from '../../../src/query/query-parameters.js';

describe('unknownParameters', () => {
  it('accepts the declared names, their bracketed families, and lang everywhere', () => {
    const query = { filter: '[]', 'filter[name][ilike]': 'a', 'expand[child_ids][fields]': 'name', expand: 'child_ids', sort: 'name', page_number: '2', lang: 'fr_FR' };
    assert.deepEqual(unknownParameters(query, LIST_PARAMS), []);
    assert.deepEqual(unknownParameters({ lang: 'en_US' }, []), []);
  });

  it('names every other parameter, typos and credentials in the URL included', () => {
    assert.deepEqual(unknownParameters({ filters: '[]', limit: '5', access_token: 'x' }, LIST_PARAMS), ['filters', 'access_token']);
    assert.deepEqual(unknownParameters({ 'filterx[a]': '1', filter_name: 'a' }, LIST_PARAMS), ['filterx[a]', 'filter_name']);
    assert.deepEqual(unknownParameters({ filter: '[]', 'filter[name]': 'a', sort: 'id', order: 'id' }, CHANGES_PARAMS), ['filter', 'filter[name]', 'sort', 'order']);
    assert.deepEqual(unknownParameters({ expand: 'x', limit: '3' }, WRITE_PARAMS), ['expand', 'limit']);
  });
});

describe('checkQueryParameters', () => {
  it('answers 400 unknown_parameter naming bounded, quoted names', async () => {
    const long = `x${'y'.repeat(500)}`;
    const ctx = { query: { limit: '1', [long]: '1', 'a\u0000b': '2' } } as never;
    await assert.rejects(checkQueryParameters(LIST_PARAMS)(ctx, async () => {}), (error: unknown) => {
      assert.ok(error instanceof ApiError);
      assert.equal(error.status, 400);
      assert.equal(error.code, 'unknown_parameter');
      assert.deepEqual(error.errors.map((e) => e.field.length), [100, 3]);
      assert.ok(error.detail.includes('"a\\u0000b"'), error.detail);
      return true;
    });
    let ran = false;
    await checkQueryParameters(LIST_PARAMS)({ query: { limit: '1' } } as never, async () => {
      ran = true;
    });
    assert.ok(ran);
  });
});
