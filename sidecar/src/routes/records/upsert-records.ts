/**
 * POST /{model}/upsert: create or update by external id or by a field the
 * admin marked unique; 201 when it created, 200 when it updated,
 * `meta.created` says which. A list body upserts many, all or nothing.
 */
import { ApiError, errors } from '../../errors.js';
import type { ApiContext, RouteDefinition } from '../../http/types.js';
import { readMaxBatchSize } from '../../db/model-write-settings.js';
import { isPlainObject } from '../../payload/x2many.js';
import type { RawQuery } from '../../query/params.js';
import { batchCompiler } from './batch/batch-compiler.js';
import { stepAnswer } from './batch/answer-batch.js';
import { compileBatch } from './batch/compile-batch.js';
import { batchTooLarge, parseBatchBody, type BatchInput } from './batch/parse-batch.js';
import { runBatch } from './batch/run-batch.js';
import { parseValueOptions } from './value-options.js';
import { jsonBody, modelFields } from './write-support.js';
import { WRITE_PARAMS } from '../../query/query-parameters.js';

const asUpsert = (item: unknown): unknown => (isPlainObject(item) ? { ...item, op: 'upsert' } : item);

/** A single body's problems name its own keys, not `operations[0]`. */
function unwrapSingle(error: unknown): unknown {
  if (!(error instanceof ApiError)) return error;
  if (error.cause instanceof ApiError && 'operation' in error.extensions) return error.cause;
  const strip = (text: string) => text.replace(/operations\[0\]\.?/g, '');
  return new ApiError(error.status, error.code, strip(error.detail), {
    errors: error.errors.map((problem) => ({ ...problem, field: strip(problem.field) || '(body)' })),
    headers: error.headers,
  });
}

async function parseUpsertBody(ctx: ApiContext, maxSize: number): Promise<BatchInput> {
  const body = jsonBody(ctx, true);
  if (!Array.isArray(body)) return parseBatchBody({ atomic: true, operations: [asUpsert(body)] }, 1);
  if (body.length === 0) throw errors.badRequest('invalid_body', 'A list body needs at least one upsert.');
  if (body.length > maxSize) throw batchTooLarge(body.length, maxSize);
  return parseBatchBody({ atomic: true, operations: body.map(asUpsert) }, maxSize);
}

export const upsertRecords: RouteDefinition = {
  method: 'post',
  path: '/:model/upsert',
  operationId: 'upsertRecords',
  summary: 'Create or update records by external id or a unique field',
  tags: ['Records'],
  authenticated: true,
  query: WRITE_PARAMS,
  async handler(ctx, services) {
    const model = ctx.params.model as string;
    await modelFields(ctx, services, model);
    const values = parseValueOptions(ctx.query as RawQuery);
    const single = !Array.isArray(ctx.request.body);
    try {
      const input = await parseUpsertBody(ctx, await readMaxBatchSize(services.db, model));
      const steps = await compileBatch(batchCompiler(ctx, services, model), input.operations);
      const answers = (await runBatch(ctx, services, steps, true)).map((o) => stepAnswer(o, values, ctx.state.requestId, ctx.path));
      if (!single) {
        ctx.body = { data: answers.map((a) => a.data), meta: { created: answers.map((a) => a.meta?.created === true) } };
        return;
      }
      const [answer] = answers as [(typeof answers)[number]];
      ctx.status = answer.status;
      if (answer.status === 201) ctx.set('Location', `${ctx.path.replace(/\/upsert\/?$/, '')}/${String(answer.data?.id)}`);
      ctx.body = { data: answer.data, meta: answer.meta };
    } catch (error) {
      throw single ? unwrapSingle(error) : error;
    }
  },
};
