/** PATCH /{model}/{id}: change the fields given; answers the record as the caller may read it. */
import type { RouteDefinition } from '../../http/types.js';
import { handleUpdate } from './write-support.js';
import { WRITE_PARAMS } from '../../query/query-parameters.js';

export const updateRecord: RouteDefinition = {
  method: 'patch',
  path: '/:model/:id',
  operationId: 'updateRecord',
  summary: 'Update some fields of a record',
  tags: ['Records'],
  authenticated: true,
  query: WRITE_PARAMS,
  handler: (ctx, services) => handleUpdate(ctx, services, 'update'),
};
