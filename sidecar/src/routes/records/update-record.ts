/** PATCH /{model}/{id}: change the fields given; answers the record as the caller may read it. */
import type { RouteDefinition } from '../../http/types.js';
import { handleUpdate } from './write-support.js';

export const updateRecord: RouteDefinition = {
  method: 'patch',
  path: '/:model/:id',
  operationId: 'updateRecord',
  summary: 'Update some fields of a record',
  tags: ['Records'],
  authenticated: true,
  handler: (ctx, services) => handleUpdate(ctx, services, 'update'),
};
