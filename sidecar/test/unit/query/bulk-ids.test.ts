import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiError } from '../../../src/errors.js';
import { parseIdsBody, parseIdsParam } from '../../../src/query/bulk-ids.js';

const grant = { model: 'res.partner', maxPageSize: 5 };

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof ApiError);
    return `${error.status} ${error.code}`;
  }
  return 'ok';
}

describe('bulk ids', () => {
  it('keeps the order and repeats of ?ids=', () => {
    assert.deepEqual(parseIdsParam('3,1, 2,3', grant), [3, 1, 2, 3]);
    assert.equal(code(() => parseIdsParam(undefined, grant)), '400 invalid_parameter');
    assert.equal(code(() => parseIdsParam('1,x', grant)), '400 invalid_parameter');
    assert.equal(code(() => parseIdsParam('1,,2', grant)), '400 invalid_parameter');
    assert.equal(code(() => parseIdsParam('0', grant)), '400 invalid_parameter');
    assert.equal(code(() => parseIdsParam('99999999999', grant)), '400 invalid_parameter');
    assert.equal(code(() => parseIdsParam('1,2,3,4,5,6', grant)), '400 too_many_ids');
  });
  it('takes {"ids": [...]} or a bare list as a body', () => {
    assert.deepEqual(parseIdsBody({ ids: [3, 1] }, grant), [3, 1]);
    assert.deepEqual(parseIdsBody([2], grant), [2]);
    for (const body of [{}, { ids: 'a' }, { ids: [1], extra: 1 }, 'x', null, { ids: [1.5] }, { ids: ['1'] }, [true], [-1]]) {
      assert.equal(code(() => parseIdsBody(body, grant)), '400 invalid_body', JSON.stringify(body));
    }
    assert.equal(code(() => parseIdsBody([], grant)), '400 invalid_body');
    assert.equal(code(() => parseIdsBody({ ids: [1, 2, 3, 4, 5, 6] }, grant)), '400 too_many_ids');
  });
});
