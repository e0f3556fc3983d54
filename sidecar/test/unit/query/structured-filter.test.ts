import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiError } from '../../../src/errors.js';
import { parseStructuredFilters } from '../../../src/query/structured-filter.js';
import { partnerContext } from '../fixtures.js';

const ctx = partnerContext();

describe('parseStructuredFilters', () => {
  it('maps every operator, typed by the field', () => {
    const domain = parseStructuredFilters(
      {
        'filter[name][ilike]': 'acme',
        'filter[name]': 'exact',
        'filter[id][in]': '1,2,3',
        'filter[country_id][eq]': '21',
        'filter[active][eq]': 'true',
        'filter[email][null]': 'true',
        'filter[id][child_of]': '5',
        'filter[country_id.code][ne]': 'BE',
        other: 'x',
      },
      ctx,
    );
    assert.deepEqual(domain, [
      ['name', 'ilike', 'acme'],
      ['name', '=', 'exact'],
      ['id', 'in', [1, 2, 3]],
      ['country_id', '=', 21],
      ['active', '=', true],
      ['email', '=', false],
      ['id', 'child_of', [5]],
      ['country_id.code', '!=', 'BE'],
    ]);
  });
  it('refuses unknown operators, wrong types and repeats', () => {
    for (const query of [
      { 'filter[name][regex]': 'x' },
      { 'filter[id][eq]': 'abc' },
      { 'filter[active][eq]': 'yes' },
      { 'filter[email][null]': 'maybe' },
      { 'filter[name][eq]': ['a', 'b'] },
      { 'filter[][eq]': 'a' },
      { 'filter[name][eq][x]': 'a' },
    ]) {
      assert.throws(() => parseStructuredFilters(query, ctx), (e: unknown) => e instanceof ApiError && e.code === 'invalid_filter', JSON.stringify(query));
    }
  });
});
