import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiError } from '../../../src/errors.js';
import { parseBatchBody } from '../../../src/routes/records/batch/parse-batch.js';

describe('parseBatchBody: refs', () => {
  it('refuses a ref given twice, naming it and both operations', () => {
    let caught: unknown;
    try {
      parseBatchBody({ operations: [{ op: 'create', ref: 'a', values: {} }, { op: 'create', ref: 'b', values: {} }, { op: 'delete', ref: 'a', id: 3 }] }, 10);
    } catch (error) {
      caught = error;
    }
    assert.ok(caught instanceof ApiError, String(caught));
    assert.equal(caught.status, 400);
    assert.equal(caught.code, 'duplicate_ref');
    assert.match(caught.detail, /"a"/);
    assert.deepEqual(caught.errors.map((e) => e.field), ['operations[2].ref']);
    assert.match(caught.errors[0]?.message ?? '', /operations\[0\]/);
  });

  it('counts 1 and "1" as the same ref, and lets operations without a ref be', () => {
    assert.throws(() => parseBatchBody({ operations: [{ op: 'create', ref: 1, values: {} }, { op: 'create', ref: '1', values: {} }] }, 10), (e: unknown) => e instanceof ApiError && e.code === 'duplicate_ref');
    const input = parseBatchBody({ operations: [{ op: 'create', values: {} }, { op: 'create', values: {} }, { op: 'create', ref: null, values: {} }, { op: 'create', ref: 'x', values: {} }] }, 10);
    assert.equal(input.operations.length, 4);
  });
});
