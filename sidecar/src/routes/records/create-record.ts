/** POST /{model}: create a record; 201 with its Location and the record as the caller may read it. */
import { modelResolver } from '../../http/request-services.js';
import type { RouteDefinition } from '../../http/types.js';
import { compileWriteValues } from '../../payload/write-values.js';
import { compileWrite } from '../../query/compile-write.js';
import type { RawQuery } from '../../query/params.js';
import { parseValueOptions } from './value-options.js';
import { jsonBody, readBackFields, runWritePlan, writtenRecord } from './write-support.js';
import { WRITE_PARAMS } from '../../query/query-parameters.js';

export const createRecord: RouteDefinition = {
  method: 'post',
  path: '/:model',
  operationId: 'createRecord',
  summary: 'Create a record',
  tags: ['Records'],
  authenticated: true,
  query: WRITE_PARAMS,
  async handler(ctx, services) {
    const query = ctx.query as RawQuery;
    const resolve = modelResolver(ctx, services);
    const context = await resolve(ctx.params.model as string, 'create');
    const readFields = readBackFields(query, context);
    const values = parseValueOptions(query);
    const payload = await compileWriteValues(jsonBody(ctx, true), context, 'create', resolve);
    const plan = compileWrite(context, { kind: 'create', values: payload.values }, readFields, payload.checks);
    const record = writtenRecord(context, plan, await runWritePlan(ctx, services, plan), values);
    ctx.status = 201;
    ctx.set('Location', `${ctx.path.replace(/\/+$/, '')}/${record.id}`);
    ctx.body = { data: record.data };
  },
};
