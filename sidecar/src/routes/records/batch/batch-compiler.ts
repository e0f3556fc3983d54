/** The batch compiler bound to one request: the caller's grants, the model's fields, `fields=` for read-back. */
import { modelResolver } from '../../../http/request-services.js';
import type { ApiContext, Services } from '../../../http/types.js';
import type { RawQuery } from '../../../query/params.js';
import { modelFields, readBackFields } from '../write-support.js';
import type { BatchCompiler } from './compile-batch.js';

export function batchCompiler(ctx: ApiContext, services: Services, model: string): BatchCompiler {
  const query = ctx.query as RawQuery;
  return {
    model,
    resolve: modelResolver(ctx, services),
    fields: () => modelFields(ctx, services, model),
    readFields: (context) => readBackFields(query, context),
  };
}
