/**
 * POST /{model}/batch: an ordered list of create, update, delete, archive,
 * restore and upsert operations in one bridge call; partial (each fails
 * alone, 207 unless all succeeded) or atomic (all or nothing).
 */
import type { RouteDefinition } from '../../http/types.js';
import { readMaxBatchSize } from '../../db/model-write-settings.js';
import type { RawQuery } from '../../query/params.js';
import { batchCompiler } from './batch/batch-compiler.js';
import { stepAnswer } from './batch/answer-batch.js';
import { compileBatch } from './batch/compile-batch.js';
import { parseBatchBody } from './batch/parse-batch.js';
import { runBatch } from './batch/run-batch.js';
import { parseValueOptions } from './value-options.js';
import { jsonBody, modelFields } from './write-support.js';
import { WRITE_PARAMS } from '../../query/query-parameters.js';

export const batchRecords: RouteDefinition = {
  method: 'post',
  path: '/:model/batch',
  operationId: 'batchRecords',
  summary: 'Run several write operations in one request',
  tags: ['Records'],
  authenticated: true,
  query: WRITE_PARAMS,
  async handler(ctx, services) {
    const model = ctx.params.model as string;
    await modelFields(ctx, services, model); // 404 for a model the caller cannot see, before its settings are read
    const values = parseValueOptions(ctx.query as RawQuery);
    const input = parseBatchBody(jsonBody(ctx, true), await readMaxBatchSize(services.db, model));
    const steps = await compileBatch(batchCompiler(ctx, services, model), input.operations);
    const outcomes = await runBatch(ctx, services, steps, input.atomic);
    const data = outcomes.map((outcome) => stepAnswer(outcome, values, ctx.state.requestId, ctx.path));
    ctx.status = data.every((answer) => answer.status < 400) ? 200 : 207;
    ctx.body = { data };
  },
};
