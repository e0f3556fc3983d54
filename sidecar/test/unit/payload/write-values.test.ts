import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiError } from '../../../src/errors.js';
import { compileWriteValues } from '../../../src/payload/write-values.js';
import type { WriteMode } from '../../../src/payload/types.js';
import type { ModelContext } from '../../../src/policy/types.js';
import { resolverOf } from '../fixtures.js';
import { category, writablePartner } from './write-fixtures.js';

const ALL_ON = { read: true, create: true, update: true, delete: true, archive: true, restore: true };

function compile(body: unknown, mode: WriteMode = 'update', contexts: Record<string, ModelContext> = {}, root = writablePartner()) {
  const resolve = resolverOf({ 'res.partner': root, 'res.partner.category': category(), ...contexts });
  return compileWriteValues(body, root, mode, resolve);
}

async function problem(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof ApiError, String(error));
    return error;
  }
  assert.fail('expected an ApiError');
}

describe('compileWriteValues: fields', () => {
  it('converts every field of a valid body', async () => {
    const { values, checks } = await compile({
      name: 'Acme', color: 3, is_company: true, birthday: '1990-07-14', last_seen: '2024-05-01T09:30:00Z',
      type: 'invoice', country_id: 21, comment: null, image_1920: 'data:image/png;base64,iVBORw0KGgo=',
    });
    assert.deepEqual(values, {
      name: 'Acme', color: 3, is_company: true, birthday: '1990-07-14', last_seen: '2024-05-01 09:30:00',
      type: 'invoice', country_id: 21, comment: false, image_1920: 'iVBORw0KGgo=',
    });
    assert.deepEqual(checks, []);
  });

  it('refuses a body that is not an object', async () => {
    for (const body of [[], ['name'], 'name', 42, null, true]) {
      const error = await problem(compile(body));
      assert.equal(error.status, 400);
      assert.equal(error.code, 'invalid_body');
    }
  });

  it('names every field problem and answers them together', async () => {
    const error = await problem(compile({ nope: 1, id: 4, create_date: '2024-01-01T00:00:00Z', display_name: 'x', __last_update: 'x', commercial_partner_id: 3, color: 'red', name: 'fine' }));
    assert.equal(error.status, 400);
    assert.equal(error.code, 'unknown_field');
    assert.deepEqual(error.errors.map((e) => [e.field, e.code]), [
      ['nope', 'unknown_field'],
      ['id', 'field_readonly'],
      ['create_date', 'field_readonly'],
      ['display_name', 'field_readonly'],
      ['__last_update', 'field_readonly'],
      ['commercial_partner_id', 'field_readonly'],
      ['color', 'invalid_value'],
    ]);
  });

  it('answers 403 when any field is not allowed, still listing the others', async () => {
    const error = await problem(compile({ color: 'red', secret_note: 'x' }));
    assert.equal(error.status, 403);
    assert.equal(error.code, 'field_not_allowed');
    assert.deepEqual(error.errors.map((e) => e.field), ['color', 'secret_note']);
    const allowlist = writablePartner({ fields: { allowed: new Set(['name']), blocked: new Set() } });
    const onlyName = await problem(compile({ name: 'x', email: 'y', color: 1 }, 'update', {}, allowlist));
    assert.deepEqual(onlyName.errors.map((e) => [e.field, e.code]), [['email', 'unknown_field'], ['color', 'field_not_allowed']]);
  });

  it('keeps __proto__ and other hostile keys out of the values', async () => {
    const body = JSON.parse('{"__proto__": {"polluted": true}, "constructor": 1, "name": "x"}') as unknown;
    const error = await problem(compile(body));
    assert.deepEqual(error.errors.map((e) => e.field), ['__proto__', 'constructor']);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  it('needs the archive or restore toggle to write active', async () => {
    const noArchive = writablePartner({ operations: { ...ALL_ON, archive: false, restore: false } });
    const error = await problem(compile({ active: false }, 'update', {}, noArchive));
    assert.equal(error.status, 403);
    assert.equal(error.code, 'operation_not_allowed');
    assert.equal((await problem(compile({ active: true }, 'update', {}, noArchive))).code, 'operation_not_allowed');
    assert.deepEqual((await compile({ active: true }, 'create', {}, noArchive)).values, { active: true });
  });
});

describe('compileWriteValues: x2many', () => {
  it('replaces with a list of ids and maps each command, in a fixed order', async () => {
    assert.deepEqual((await compile({ category_id: [3, 1] })).values, { category_id: [[6, 0, [3, 1]]] });
    assert.deepEqual((await compile({ category_id: null })).values, { category_id: [[6, 0, []]] });
    const { values } = await compile({
      category_id: { create: [{ name: 'New', color: 2 }], update: [{ id: 5, name: 'Renamed' }], add: [7, 8], remove: [9], delete: [10], set: [1] },
    });
    assert.deepEqual(values.category_id, [[6, 0, [1]], [2, 10], [3, 9], [4, 7], [4, 8], [1, 5, { name: 'Renamed' }], [0, 0, { name: 'New', color: 2 }]]);
  });

  it('checks nested records against the related model and names nested paths', async () => {
    const error = await problem(compile({ category_id: { create: [{ name: 'ok' }, { name: 5, nope: 1 }, 'x'], update: [{ name: 'no id' }], add: [1, 'two'], merge: [] } }));
    assert.deepEqual(error.errors.map((e) => [e.field, e.code]), [
      ['category_id', 'invalid_value'],
    ]);
    const nested = await problem(compile({ category_id: { create: [{ name: 'ok' }, { name: 5, nope: 1 }, 'x'], update: [{ name: 'no id' }], add: [1, 'two'] } }));
    assert.deepEqual(nested.errors.map((e) => [e.field, e.code]), [
      ['category_id.add', 'invalid_value'],
      ['category_id.update', 'invalid_value'],
      ['category_id.create[1].name', 'invalid_value'],
      ['category_id.create[1].nope', 'unknown_field'],
      ['category_id.create[2]', 'invalid_body'],
    ]);
  });

  it('needs the related model exposed, with the toggle of each command', async () => {
    const hidden = await problem(compileWriteValues({ category_id: [1] }, writablePartner(), 'update', resolverOf({})));
    assert.equal(hidden.status, 403);
    assert.deepEqual(hidden.errors.map((e) => [e.field, e.code]), [['category_id', 'field_not_allowed']]);
    const readOnly = category({ operations: { ...ALL_ON, create: false, delete: false } });
    const error = await problem(compile({ category_id: { add: [1], create: [{ name: 'x' }], delete: [2] } }, 'update', { 'res.partner.category': readOnly }));
    assert.deepEqual(error.errors.map((e) => [e.field, e.code]), [['category_id.delete', 'operation_not_allowed'], ['category_id.create', 'operation_not_allowed']]);
  });

  it('asks for scope checks of named related records and refuses nested creates into a scoped model', async () => {
    const scoped = category({ domains: [[['color', '=', 1]]] });
    const { checks } = await compile({ category_id: { add: [4], update: [{ id: 5, color: 1 }] } }, 'update', { 'res.partner.category': scoped });
    assert.deepEqual(checks, [
      { field: 'category_id.add', model: 'res.partner.category', ids: [4], domain: [['color', '=', 1]], phase: 'before' },
      { field: 'category_id.update', model: 'res.partner.category', ids: [5], domain: [['color', '=', 1]], phase: 'before' },
      { field: 'category_id.update', model: 'res.partner.category', ids: [5], domain: [['color', '=', 1]], phase: 'after' },
    ]);
    const error = await problem(compile({ category_id: { create: [{ name: 'x' }] } }, 'update', { 'res.partner.category': scoped }));
    assert.equal(error.code, 'operation_not_allowed');
  });

  it('limits nesting depth, list sizes and nested records', async () => {
    const deep = { child_ids: { create: [{ name: 'a', child_ids: { create: [{ name: 'b', child_ids: { create: [{ name: 'c', child_ids: { create: [{ name: 'd' }] } }] } }] } }] } };
    const error = await problem(compile(deep));
    assert.deepEqual(error.errors.map((e) => [e.field, e.code]), [['child_ids.create[0].child_ids.create[0].child_ids.create[0].child_ids.create', 'value_too_large']]);
    assert.equal((await problem(compile({ category_id: Array.from({ length: 1001 }, (_, i) => i + 1) }))).code, 'value_too_large');
    assert.equal((await problem(compile({ category_id: { create: Array.from({ length: 101 }, () => ({ name: 'x' })) } }))).code, 'value_too_large');
    const wide = { child_ids: { create: Array.from({ length: 100 }, () => ({ name: 'x', category_id: { create: Array.from({ length: 10 }, () => ({ name: 'y' })) } })) } };
    assert.equal((await problem(compile(wide))).code, 'value_too_large');
  });
});

describe('compileWriteValues: PUT', () => {
  it('needs every required writable field and whole-list x2many values', async () => {
    const missing = await problem(compile({ name: 'x' }, 'replace'));
    assert.deepEqual(missing.errors.map((e) => [e.field, e.code]), [['ref', 'field_required']]);
    const partial = await problem(compile({ ref: 'R1', category_id: { add: [1] } }, 'replace'));
    assert.deepEqual(partial.errors.map((e) => [e.field, e.code]), [['category_id', 'invalid_value']]);
    const { values } = await compile({ ref: 'R1', category_id: { set: [1], create: [{ name: 'n' }] } }, 'replace');
    assert.deepEqual(values, { ref: 'R1', category_id: [[6, 0, [1]], [0, 0, { name: 'n' }]] });
  });
});
