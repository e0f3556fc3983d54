import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { guessMimeType, toApiRecord } from '../../../src/values/record-values.js';
import { partnerFields } from '../fixtures.js';

describe('toApiRecord', () => {
  it('maps Odoo values to API values', () => {
    const out = toApiRecord(
      { id: 3, name: false, active: false, country_id: false, create_date: '2024-05-01 10:20:30', date: '2024-05-01', category_id: [1, 2] },
      partnerFields,
      { binary: 'base64' },
    );
    assert.deepEqual(out, { id: 3, name: null, active: false, country_id: null, create_date: '2024-05-01T10:20:30Z', date: '2024-05-01', category_id: [1, 2] });
  });
  it('keeps many2one objects and renders binaries as data URLs on request', () => {
    const png = 'iVBORw0KGgoAAAANSUhEUg==';
    const out = toApiRecord({ country_id: { id: 21, display_name: 'Belgium' }, image_128: png }, partnerFields, { binary: 'data_url' });
    assert.deepEqual(out.country_id, { id: 21, display_name: 'Belgium' });
    assert.equal(out.image_128, `data:image/png;base64,${png}`);
  });
  it('turns search_read many2one pairs into objects', () => {
    const out = toApiRecord({ country_id: [21, 'Belgium'] }, partnerFields, { binary: 'base64' });
    assert.deepEqual(out.country_id, { id: 21, display_name: 'Belgium' });
  });
  it('guesses common mime types', () => {
    assert.equal(guessMimeType('/9j/4AAQ'), 'image/jpeg');
    assert.equal(guessMimeType('JVBERi0xLjQ'), 'application/pdf');
    assert.equal(guessMimeType('AAAA'), 'application/octet-stream');
  });
});
