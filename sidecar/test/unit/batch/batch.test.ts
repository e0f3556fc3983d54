import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiError } from '../../../src/errors.js';
import { compileBatch, type BatchCompiler } from '../../../src/routes/records/batch/compile-batch.js';
import { isExternalId, parseBatchBody } from '../../../src/routes/records/batch/parse-batch.js';
import { compileWrite, upsertOutcome } from '../../../src/query/compile-write.js';
import { partnerContext } from '../fixtures.js';

function refused(run: () => unknown, status: number, code: string): ApiError {
  let caught: unknown;
  try {
    run();
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof ApiError, String(caught));
  assert.equal(caught.status, status);
  assert.equal(caught.code, code);
  return caught;
}

describe('parseBatchBody', () => {
  it('takes the operations in order with their refs; partial by default', () => {
    const input = parseBatchBody({ operations: [{ op: 'create', ref: 'a', values: {} }, { op: 'delete', id: 3, force: true }, { op: 'upsert', ref: 7, external_id: 'm.x', values: {} }] }, 10);
    assert.equal(input.atomic, false);
    assert.deepEqual(input.operations.map((o) => [o.index, o.op, o.ref]), [[0, 'create', 'a'], [1, 'delete', null], [2, 'upsert', 7]]);
    assert.equal(input.operations[1]?.force, true);
  });

  it('refuses an oversize batch with 413 before looking at the operations', () => {
    refused(() => parseBatchBody({ operations: [1, 2, 3] }, 2), 413, 'batch_too_large');
  });

  const malformed = [{ op: 'merge' }, 'x', { op: 'update', id: 0 }, { op: 'upsert', external_id: 'a.b', match: { ref: 1 }, values: {} }];

  it('atomic: names every malformed operation in one 400', () => {
    const error = refused(() => parseBatchBody({ atomic: true, operations: malformed }, 10), 400, 'invalid_operation');
    assert.deepEqual(error.errors.map((e) => e.field), ['operations[0].op', 'operations[1]', 'operations[2].values', 'operations[2].id', 'operations[3].external_id']);
  });

  it('partial: refuses each malformed operation alone and keeps the well-formed ones', () => {
    const input = parseBatchBody({ operations: [{ op: 'create', ref: 'ok', values: {} }, ...malformed.map((m) => (typeof m === 'object' ? { ...m, ref: 'bad' } : m))] }, 10);
    assert.deepEqual(input.operations.map((o) => [o.index, o.ref]), [[0, 'ok']]);
    assert.deepEqual(input.refused.map((r) => [r.index, r.ref, r.error.status, r.error.code]), [
      [1, 'bad', 400, 'invalid_operation'],
      [2, null, 400, 'invalid_operation'],
      [3, 'bad', 400, 'invalid_operation'],
      [4, 'bad', 400, 'invalid_operation'],
    ]);
    assert.deepEqual(input.refused[2]?.error.errors.map((e) => e.field), ['operations[3].values', 'operations[3].id']);
  });

  it('refuses bodies that are not a batch', () => {
    for (const body of [null, [], { operations: [] }, { operations: 'x' }, { atomic: 1, operations: [{ op: 'create', values: {} }] }, { ops: [] }]) {
      refused(() => parseBatchBody(body, 10), 400, 'invalid_body');
    }
  });

  it('accepts module.name external ids only', () => {
    assert.ok(isExternalId('rest_api.cust-42.x'));
    assert.ok(isExternalId('bare_name'));
    for (const bad of ['', 'has space.x', '.x', 'a.', 'x'.repeat(256), 12]) assert.ok(!isExternalId(bad), String(bad));
  });
});

describe('compileBatch', () => {
  const compiler = (operations: Partial<Record<'create' | 'update' | 'delete' | 'archive' | 'restore', boolean>> = {}): BatchCompiler => {
    const context = partnerContext({ operations: { read: true, create: true, update: true, delete: true, archive: true, restore: true, ...operations } });
    return {
      model: 'res.partner',
      resolve: async (_model, operation) => {
        if (!context.grant.operations[operation]) throw new ApiError(403, 'operation_not_allowed', `no ${operation}`);
        return context;
      },
      fields: async () => context.fields,
      readFields: () => ['name'],
    };
  };

  it('compiles each operation as the single request would', async () => {
    const input = parseBatchBody({ operations: [{ op: 'create', values: { name: 'A' } }, { op: 'delete', id: 4 }, { op: 'delete', id: 5, force: true }] }, 10);
    const steps = await compileBatch(compiler(), input.operations);
    assert.deepEqual(steps.map((s) => [s.kind, s.plan.operations[s.plan.main]?.method]), [['create', 'create'], ['archive', 'action_archive'], ['unlink', 'unlink']]);
  });

  it('compiles an upsert to rest_gateway_upsert with the scope and the fields to read', async () => {
    const input = parseBatchBody({ operations: [{ op: 'upsert', external_id: 'rest_api.a', values: { name: 'A' } }] }, 10);
    const [step] = await compileBatch(compiler(), input.operations);
    assert.deepEqual(step?.plan.operations[0], {
      model: 'res.partner', method: 'rest_gateway_upsert',
      kwargs: { values: { name: 'A' }, scope: [], external_id: 'rest_api.a', fields: ['name'] },
    });
  });

  it('refuses the whole batch when any operation is refused, naming it', async () => {
    const input = parseBatchBody({ operations: [{ op: 'create', values: { name: 'A' } }, { op: 'update', ref: 'u', id: 3, values: { name: 'B' } }] }, 10);
    await assert.rejects(compileBatch(compiler({ update: false }), input.operations), (error: unknown) =>
      error instanceof ApiError && error.status === 403 && error.extensions.ref === 'u' && error.extensions.operation === 1);
  });
});

describe('upsertOutcome', () => {
  it('reads what rest_gateway_upsert answered', () => {
    const plan = compileWrite(partnerContext(), { kind: 'upsert', key: { match: { ref: 'x' } }, values: {} }, null);
    assert.deepEqual(upsertOutcome(plan, [{ id: 4, created: true, record: null }]), { id: 4, created: true, row: null });
  });
});

describe('chunkSteps (atomic batches)', () => {
  it('merges runs of like creates into one create(vals_list) and splits the rows back', async () => {
    const { chunkSteps, splitResults } = await import('../../../src/routes/records/batch/merge-creates.js');
    const context = partnerContext();
    const compiler: BatchCompiler = { model: 'res.partner', resolve: async () => context, fields: async () => context.fields, readFields: () => ['name'] };
    const input = parseBatchBody({ operations: [
      { op: 'create', values: { name: 'A' } }, { op: 'create', values: { name: 'B' } }, { op: 'archive', id: 3 }, { op: 'create', values: { name: 'C' } },
    ] }, 10);
    const chunks = chunkSteps(await compileBatch(compiler, input.operations));
    assert.deepEqual(chunks.map((c) => [c.merged, c.steps.length]), [[true, 2], [false, 1], [false, 1]]);
    assert.deepEqual(chunks[0]?.operations[0]?.args, [[{ name: 'A' }, { name: 'B' }]]);
    const perStep = splitResults(chunks, [[{ id: 1, name: 'A' }, { id: 2, name: 'B' }], [{ id: 3 }], [{ id: 4, name: 'C' }]]);
    assert.deepEqual(perStep, [[[{ id: 1, name: 'A' }]], [[{ id: 2, name: 'B' }]], [[{ id: 3 }]], [[{ id: 4, name: 'C' }]]]);
  });
});
