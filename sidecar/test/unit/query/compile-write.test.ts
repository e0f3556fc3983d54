import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileWrite, relatedCheckError, writtenIds, writtenRows } from '../../../src/query/compile-write.js';
import type { RelatedCheck } from '../../../src/payload/types.js';
import { partnerContext } from '../fixtures.js';

const scoped = partnerContext({ domains: [[['is_company', '=', true]], [['name', 'ilike', 'a']]] });

describe('compileWrite', () => {
  it('guards every write with the scope domains and reads the record back', () => {
    const plan = compileWrite(scoped, { kind: 'create', values: { name: 'Acme' } }, ['name']);
    assert.deepEqual(plan.operations, [{
      model: 'res.partner', method: 'create', args: [{ name: 'Acme' }],
      guard: [['is_company', '=', true], ['name', 'ilike', 'a']], read: { fields: ['name'] },
    }]);
    assert.equal(plan.main, 0);
  });

  it('maps each action to its ORM method, ids and arguments', () => {
    const context = partnerContext();
    const op = (action: Parameters<typeof compileWrite>[1], fields: string[] | null = ['name']) => compileWrite(context, action, fields).operations[0];
    assert.deepEqual(op({ kind: 'write', id: 4, values: { name: 'x' } }), { model: 'res.partner', method: 'write', guard: [], ids: [4], args: [{ name: 'x' }], read: { fields: ['name'] } });
    assert.deepEqual(op({ kind: 'copy', id: 4, values: { name: 'x' } }), { model: 'res.partner', method: 'copy', guard: [], ids: [4], kwargs: { default: { name: 'x' } }, read: { fields: ['name'] } });
    assert.deepEqual(op({ kind: 'archive', id: 4 }), { model: 'res.partner', method: 'action_archive', guard: [], ids: [4], read: { fields: ['name'] } });
    assert.deepEqual(op({ kind: 'restore', id: 4 }, null), { model: 'res.partner', method: 'action_unarchive', guard: [], ids: [4] });
    assert.deepEqual(op({ kind: 'unlink', id: 4 }), { model: 'res.partner', method: 'unlink', guard: [], ids: [4] });
  });

  it('runs related checks before and after the write, in the same call', () => {
    const check = (phase: 'before' | 'after', ids: number[]): RelatedCheck => ({ field: 'category_id.update', model: 'res.partner.category', ids, domain: [['color', '=', 1]], phase });
    const plan = compileWrite(partnerContext(), { kind: 'write', id: 4, values: {} }, null, [check('before', [5, 5, 6]), check('after', [5])]);
    assert.deepEqual(plan.operations.map((o) => [o.model, o.method, o.ids]), [
      ['res.partner.category', 'read', [5, 6]],
      ['res.partner', 'write', [4]],
      ['res.partner.category', 'read', [5]],
    ]);
    assert.equal(plan.main, 1);
    const before = relatedCheckError(plan, 0, 'missing');
    assert.equal(before?.status, 422);
    assert.equal(before?.code, 'related_record_not_found');
    assert.equal(before?.errors[0]?.field, 'category_id.update');
    assert.equal(relatedCheckError(plan, 2, 'missing')?.status, 403);
    assert.equal(relatedCheckError(plan, 1, 'missing'), null);
    assert.equal(relatedCheckError(plan, 0, 'access'), null);
    assert.equal(relatedCheckError(plan, null, 'missing'), null);
  });

  it('decodes the rows and ids of the main operation', () => {
    const plan = compileWrite(partnerContext(), { kind: 'create', values: {} }, ['name']);
    assert.deepEqual(writtenRows(plan, [[{ id: 9, name: 'x' }]]), [{ id: 9, name: 'x' }]);
    assert.deepEqual(writtenIds(plan, [[{ id: 9, name: 'x' }]]), [9]);
    assert.deepEqual(writtenIds(plan, [[9]]), [9]);
    assert.deepEqual(writtenRows(plan, [true]), []);
  });
});
