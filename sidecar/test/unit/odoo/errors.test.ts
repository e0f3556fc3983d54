/** Bridge error kinds → problems: an internal error of Odoo is a 500 that says nothing of it. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BridgeError } from '../../../src/odoo/bridge-types.js';
import { toApiError } from '../../../src/odoo/errors.js';

describe('toApiError', () => {
  it('answers an internal error as a generic 500 internal_error', () => {
    const error = toApiError(new BridgeError('internal', 'KeyError: secret_column in /opt/odoo/x.py', 0));
    assert.equal(error.status, 500);
    assert.equal(error.code, 'internal_error');
    assert.equal(error.detail, 'An unexpected error occurred.');
  });
  it('keeps the message of a refused request', () => {
    const error = toApiError(new BridgeError('bad_request', 'The guard is not a valid domain of res.partner.', 0));
    assert.deepEqual([error.status, error.code, error.detail], [400, 'bad_request', 'The guard is not a valid domain of res.partner.']);
  });
  it('keeps the ids and user of a missing-record error out of the answer', () => {
    const missing = toApiError(new BridgeError('missing', 'Record does not exist or has been deleted.\n(Record: res.users(99999,), User: 2)', 0));
    assert.deepEqual([missing.status, missing.code], [404, 'record_not_found']);
    assert.doesNotMatch(missing.detail, /99999|User: 2/);
  });
});
