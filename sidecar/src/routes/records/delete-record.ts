/**
 * DELETE /{model}/{id}: archives when the model has `active` (200 with the
 * archived record; needs `archive`), deletes otherwise or with
 * `?force=true` (204; needs `delete`).
 */
import { modelResolver } from '../../http/request-services.js';
import type { RouteDefinition } from '../../http/types.js';
import { compileWrite } from '../../query/compile-write.js';
import { parseBooleanParam, parseRecordId, singleParam, type RawQuery } from '../../query/params.js';
import { parseValueOptions } from './value-options.js';
import { modelFields, readBackFields, runWritePlan, writtenRecord } from './write-support.js';
import { DELETE_PARAMS } from '../../query/query-parameters.js';

export const deleteRecord: RouteDefinition = {
  method: 'delete',
  path: '/:model/:id',
  operationId: 'deleteRecord',
  summary: 'Archive or delete a record',
  tags: ['Records'],
  authenticated: true,
  query: DELETE_PARAMS,
  async handler(ctx, services) {
    const query = ctx.query as RawQuery;
    const model = ctx.params.model as string;
    const archive = !parseBooleanParam('force', singleParam(query, 'force'), false) && (await modelFields(ctx, services, model)).has('active');
    const context = await modelResolver(ctx, services)(model, archive ? 'archive' : 'delete');
    const id = parseRecordId(ctx.params.id as string);
    if (!archive) {
      await runWritePlan(ctx, services, compileWrite(context, { kind: 'unlink', id }, null));
      ctx.status = 204;
      return;
    }
    const readFields = readBackFields(query, context);
    const values = parseValueOptions(query);
    const plan = compileWrite(context, { kind: 'archive', id }, readFields);
    ctx.body = { data: writtenRecord(context, plan, await runWritePlan(ctx, services, plan), values, id).data };
  },
};
