import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvalidValue } from '../../../src/payload/issues.js';
import { parseDate, parseDateTime } from '../../../src/payload/temporal.js';

describe('parseDate', () => {
  it('keeps real calendar days', () => {
    assert.equal(parseDate('2024-02-29'), '2024-02-29');
    assert.equal(parseDate('0001-01-01'), '0001-01-01');
  });
  it('refuses other shapes and days that do not exist', () => {
    for (const bad of ['2023-02-29', '2024-13-01', '2024-00-10', '2024-1-5', '2024-05-01T00:00:00Z', '', 20240501, null, '0000-01-01']) {
      assert.throws(() => parseDate(bad), InvalidValue, String(bad));
    }
  });
});

describe('parseDateTime', () => {
  it('converts to UTC without the zone, dropping fractions', () => {
    assert.equal(parseDateTime('2024-05-01T09:30:00Z'), '2024-05-01 09:30:00');
    assert.equal(parseDateTime('2024-05-01T09:30:00.987Z'), '2024-05-01 09:30:00');
    assert.equal(parseDateTime('2024-05-01T09:30Z'), '2024-05-01 09:30:00');
    assert.equal(parseDateTime('2024-05-01T01:30:00+02:00'), '2024-04-30 23:30:00');
    assert.equal(parseDateTime('2024-12-31T23:30:00-0130'), '2025-01-01 01:00:00');
    assert.equal(parseDateTime('2024-03-01T00:00:00+05'), '2024-02-29 19:00:00');
  });
  it('refuses local times, bad zones and impossible values', () => {
    for (const bad of ['2024-05-01T09:30:00', '2024-05-01 09:30:00Z', '2024-05-01T24:00:00Z', '2024-05-01T09:60:00Z', '2024-05-01T09:30:00+24:00', '2023-02-29T00:00:00Z', '0001-01-01T00:00:00+01:00', 'yesterday', 1714555800]) {
      assert.throws(() => parseDateTime(bad), InvalidValue, String(bad));
    }
  });
});
