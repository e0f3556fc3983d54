import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { flatShape, guessMimeType, toApiRecord } from '../../../src/values/record-values.js';
import { partnerFields } from '../fixtures.js';

describe('toApiRecord', () => {
  it('maps Odoo values to API values', () => {
    const out = toApiRecord(
      { id: 3, name: false, active: false, country_id: false, create_date: '2024-05-01 10:20:30', date: '2024-05-01', category_id: [1, 2] },
      flatShape(partnerFields),
      { binary: 'base64' },
    );
    assert.deepEqual(out, { id: 3, name: null, active: false, country_id: null, create_date: '2024-05-01T10:20:30Z', date: '2024-05-01', category_id: [1, 2] });
  });
  it('keeps many2one objects and renders binaries as data URLs on request', () => {
    const png = 'iVBORw0KGgoAAAANSUhEUg==';
    const out = toApiRecord({ country_id: { id: 21, display_name: 'Belgium' }, image_128: png }, flatShape(partnerFields), { binary: 'data_url' });
    assert.deepEqual(out.country_id, { id: 21, display_name: 'Belgium' });
    assert.equal(out.image_128, `data:image/png;base64,${png}`);
  });
  it('turns search_read many2one pairs into objects', () => {
    const out = toApiRecord({ country_id: [21, 'Belgium'] }, flatShape(partnerFields), { binary: 'base64' });
    assert.deepEqual(out.country_id, { id: 21, display_name: 'Belgium' });
  });
  it('guesses common mime types', () => {
    assert.equal(guessMimeType('/9j/4AAQ'), 'image/jpeg');
    assert.equal(guessMimeType('JVBERi0xLjQ'), 'application/pdf');
    assert.equal(guessMimeType('AAAA'), 'application/octet-stream');
  });
});

describe('expanded values', () => {
  it('shapes nested records and keeps filtered-out many2one values plain', () => {
    const shape = { fields: partnerFields, expanded: new Map([['country_id', flatShape(partnerFields)], ['category_id', flatShape(partnerFields)]]) };
    const out = toApiRecord(
      { id: 1, country_id: { id: 21, name: 'Belgium', create_date: '2024-01-01 00:00:00', email: false }, category_id: [{ id: 4, name: 'VIP' }] },
      shape,
      { binary: 'base64' },
    );
    assert.deepEqual(out, { id: 1, country_id: { id: 21, name: 'Belgium', create_date: '2024-01-01T00:00:00Z', email: null }, category_id: [{ id: 4, name: 'VIP' }] });
    const hidden = toApiRecord({ country_id: [21, 'Belgium'] }, shape, { binary: 'base64' });
    assert.deepEqual(hidden.country_id, { id: 21, display_name: 'Belgium' });
  });
});
