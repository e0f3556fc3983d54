/**
 * POST /{model}/batch: an ordered list of create, update, delete, archive,
 * restore and upsert operations in one bridge call; partial (each fails
 * alone, whether refused before the call or by Odoo: 207 unless all
 * succeeded) or atomic (all or nothing).
 */
import type { RouteDefinition } from '../../http/types.js';
import { readMaxBatchSize } from '../../db/model-write-settings.js';
import type { RawQuery } from '../../query/params.js';
import { batchCompiler } from './batch/batch-compiler.js';
import { refusalAnswer, stepAnswer, type StepAnswer } from './batch/answer-batch.js';
import { compileBatch, compileBatchPartial } from './batch/compile-batch.js';
import { parseBatchBody } from './batch/parse-batch.js';
import { runBatch } from './batch/run-batch.js';
import { parseValueOptions } from './value-options.js';
import { jsonBody, modelFields } from './write-support.js';

export const batchRecords: RouteDefinition = {
  method: 'post',
  path: '/:model/batch',
  operationId: 'batchRecords',
  summary: 'Run several write operations in one request',
  tags: ['Records'],
  authenticated: true,
  async handler(ctx, services) {
    const model = ctx.params.model as string;
    await modelFields(ctx, services, model); // 404 for a model the caller cannot see, before its settings are read
    const values = parseValueOptions(ctx.query as RawQuery);
    const input = parseBatchBody(jsonBody(ctx, true), await readMaxBatchSize(services.db, model));
    const compiler = batchCompiler(ctx, services, model);
    const { steps, refused } = input.atomic
      ? { steps: await compileBatch(compiler, input.operations), refused: [] }
      : await compileBatchPartial(compiler, input.operations);
    const outcomes = steps.length > 0 ? await runBatch(ctx, services, steps, input.atomic) : [];
    const answers = new Map<number, StepAnswer>();
    for (const outcome of outcomes) answers.set(outcome.step.operation.index, stepAnswer(outcome, values, ctx.state.requestId, ctx.path));
    for (const refusal of [...input.refused, ...refused]) answers.set(refusal.index, refusalAnswer(refusal, ctx.state.requestId, ctx.path));
    const data = [...answers.entries()].sort(([a], [b]) => a - b).map(([, answer]) => answer);
    ctx.status = data.every((answer) => answer.status < 400) ? 200 : 207;
    ctx.body = { data };
  },
};
