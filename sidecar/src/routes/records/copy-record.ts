/** POST /{model}/{id}/copy: duplicate a record, with an optional body of field overrides; 201 with the copy. */
import { modelResolver } from '../../http/request-services.js';
import type { RouteDefinition } from '../../http/types.js';
import { compileWriteValues } from '../../payload/write-values.js';
import { compileWrite } from '../../query/compile-write.js';
import { parseRecordId, type RawQuery } from '../../query/params.js';
import { parseValueOptions } from './value-options.js';
import { jsonBody, readBackFields, runWritePlan, writtenRecord } from './write-support.js';
import { WRITE_PARAMS } from '../../query/query-parameters.js';

export const copyRecord: RouteDefinition = {
  method: 'post',
  path: '/:model/:id/copy',
  operationId: 'copyRecord',
  summary: 'Duplicate a record',
  tags: ['Records'],
  authenticated: true,
  query: WRITE_PARAMS,
  async handler(ctx, services) {
    const query = ctx.query as RawQuery;
    const resolve = modelResolver(ctx, services);
    const context = await resolve(ctx.params.model as string, 'create');
    const id = parseRecordId(ctx.params.id as string);
    const readFields = readBackFields(query, context);
    const values = parseValueOptions(query);
    const body = jsonBody(ctx, false);
    const payload = body === undefined ? { values: {}, checks: [] } : await compileWriteValues(body, context, 'create', resolve);
    const plan = compileWrite(context, { kind: 'copy', id, values: payload.values }, readFields, payload.checks);
    const record = writtenRecord(context, plan, await runWritePlan(ctx, services, plan), values);
    ctx.status = 201;
    ctx.set('Location', ctx.path.replace(/\/[^/]+\/copy\/?$/, `/${record.id}`));
    ctx.body = { data: record.data };
  },
};
