import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiError } from '../../../src/errors.js';
import { defaultFields, parseFields } from '../../../src/query/fields.js';
import { parseSort } from '../../../src/query/sort.js';
import { grant, partnerContext } from '../fixtures.js';

const ctx = partnerContext();

function failure(fn: () => unknown): [number, string] {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof ApiError);
    return [error.status, error.code];
  }
  assert.fail('expected an error');
}

describe('parseSort', () => {
  it('reads both syntaxes', () => {
    assert.equal(parseSort({ sort: 'name,-create_date' }, ctx), 'name asc, create_date desc');
    assert.equal(parseSort({ order: 'name desc, id' }, ctx), 'name desc, id asc');
    assert.equal(parseSort({}, ctx), null);
  });
  it('refuses unsortable, blocked, unknown and injected keys', () => {
    assert.deepEqual(failure(() => parseSort({ sort: 'display_name' }, ctx)), [400, 'invalid_parameter']);
    assert.deepEqual(failure(() => parseSort({ sort: 'secret_note' }, ctx)), [403, 'field_not_allowed']);
    assert.deepEqual(failure(() => parseSort({ sort: 'nope' }, ctx)), [400, 'unknown_field']);
    assert.deepEqual(failure(() => parseSort({ order: 'name; DROP TABLE x' }, ctx)), [400, 'invalid_parameter']);
    assert.deepEqual(failure(() => parseSort({ order: 'name desc nulls first' }, ctx)), [400, 'invalid_parameter']);
    assert.deepEqual(failure(() => parseSort({ sort: 'name,,id' }, ctx)), [400, 'invalid_parameter']);
    assert.deepEqual(failure(() => parseSort({ sort: 'name', order: 'id' }, ctx)), [400, 'invalid_parameter']);
  });
  it('sorts on a many2one only where the related model is readable (Odoo orders by its records)', () => {
    const withCountry = { ...ctx, grants: new Map([['res.partner', ctx.grant], ['res.country', grant('res.country')]]) };
    assert.equal(parseSort({ sort: 'country_id' }, withCountry), 'country_id asc');
    const without = { ...ctx, grants: new Map([['res.partner', ctx.grant]]) };
    assert.deepEqual(failure(() => parseSort({ sort: '-country_id' }, without)), [403, 'field_not_allowed']);
    const unreadable = { ...ctx, grants: new Map([['res.country', grant('res.country', { operations: { read: false, create: true, update: true, delete: true, archive: true, restore: true } })]]) };
    assert.deepEqual(failure(() => parseSort({ sort: 'country_id' }, unreadable)), [403, 'field_not_allowed']);
  });
});

describe('parseFields', () => {
  it('checks every field named', () => {
    assert.deepEqual(parseFields({ fields: 'name,email,name' }, ctx), ['name', 'email']);
    assert.deepEqual(failure(() => parseFields({ fields: 'name,secret_note' }, ctx)), [403, 'field_not_allowed']);
    assert.deepEqual(failure(() => parseFields({ fields: 'name,nope' }, ctx)), [400, 'unknown_field']);
    assert.deepEqual(failure(() => parseFields({ fields: 'name,' }, ctx)), [400, 'invalid_parameter']);
    assert.deepEqual(failure(() => parseFields({ fields: "name'--" }, ctx)), [400, 'invalid_parameter']);
  });
  it('defaults to stored fields the caller may read, without binaries and x2many', () => {
    const names = defaultFields(ctx);
    assert.ok(names.includes('name') && names.includes('country_id'));
    for (const absent of ['secret_note', 'image_128', 'child_ids', 'category_id', 'display_name']) assert.ok(!names.includes(absent), absent);
  });
  it('honours an allowlist', () => {
    const narrowed = partnerContext({ fields: { allowed: new Set(['name']), blocked: new Set() } });
    assert.deepEqual(defaultFields(narrowed), ['id', 'name']);
    assert.deepEqual(failure(() => parseFields({ fields: 'email' }, narrowed)), [403, 'field_not_allowed']);
  });
});
