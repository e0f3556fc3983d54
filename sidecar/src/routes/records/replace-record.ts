/**
 * PUT /{model}/{id}: replace the writable fields given; every required
 * writable field must be among them, x2many values replace whole lists,
 * and fields not given keep their value (docs/decisions.md D11).
 */
import type { RouteDefinition } from '../../http/types.js';
import { handleUpdate } from './write-support.js';
import { WRITE_PARAMS } from '../../query/query-parameters.js';

export const replaceRecord: RouteDefinition = {
  method: 'put',
  path: '/:model/:id',
  operationId: 'replaceRecord',
  summary: 'Replace the writable fields of a record',
  tags: ['Records'],
  authenticated: true,
  query: WRITE_PARAMS,
  handler: (ctx, services) => handleUpdate(ctx, services, 'replace'),
};
