import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiError } from '../../../src/errors.js';
import { parsePagination } from '../../../src/query/pagination.js';
import { grant } from '../fixtures.js';

const g = grant('res.partner', { defaultPageSize: 20, maxPageSize: 100 });

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof ApiError);
    assert.equal(error.status, 400);
    return error.code;
  }
  assert.fail('expected an error');
}

describe('parsePagination', () => {
  it('defaults to the model page size', () => {
    assert.deepEqual(parsePagination({}, g), { limit: 20, offset: 0, page: 1 });
  });
  it('turns pages into offsets, with aliases', () => {
    assert.deepEqual(parsePagination({ limit: '10', page: '3' }, g), { limit: 10, offset: 20, page: 3 });
    assert.deepEqual(parsePagination({ limit: '10', page_number: '2' }, g), { limit: 10, offset: 10, page: 2 });
    assert.deepEqual(parsePagination({ limit: '10', skip: '15' }, g), { limit: 10, offset: 15, page: 2 });
  });
  it('enforces the maximum page size with a clear code', () => {
    assert.equal(code(() => parsePagination({ limit: '101' }, g)), 'page_size_exceeded');
    assert.equal(code(() => parsePagination({ limit: '99999999999999' }, g)), 'invalid_parameter');
  });
  it('refuses negative, zero, fractional and non-numeric values', () => {
    for (const limit of ['-1', '0', '1.5', 'abc', '', ' 5', '0x10']) {
      assert.equal(code(() => parsePagination({ limit }, g)), 'invalid_parameter', limit);
    }
    assert.equal(code(() => parsePagination({ offset: '-5' }, g)), 'invalid_parameter');
    assert.equal(code(() => parsePagination({ page: '0' }, g)), 'invalid_parameter');
  });
  it('refuses conflicting or repeated parameters', () => {
    assert.equal(code(() => parsePagination({ page: '1', offset: '0' }, g)), 'invalid_parameter');
    assert.equal(code(() => parsePagination({ offset: '0', skip: '0' }, g)), 'invalid_parameter');
    assert.equal(code(() => parsePagination({ limit: ['1', '2'] }, g)), 'invalid_parameter');
  });
});
