/**
 * DELETE /admin/request-logs: removes every request log row (managers
 * only; the hourly statistics stay) and answers how many were removed.
 * The deletion runs in Odoo, through the same method as the backend's
 * "Clear All Logs" button, after the admin API's manager check.
 */
import { errors } from '../../errors.js';
import type { RouteDefinition } from '../../http/types.js';
import { adminCall } from './admin-support.js';

export const clearRequestLogs: RouteDefinition = {
  method: 'delete',
  path: '/admin/request-logs',
  operationId: 'adminClearRequestLogs',
  summary: 'Remove every request log entry',
  tags: ['Admin'],
  authenticated: true,
  query: [],
  async handler(ctx, services) {
    if (ctx.querystring !== '') {
      throw errors.badRequest('invalid_parameter', 'This route takes no query parameters.', {
        errors: Object.keys(ctx.query).map((field) => ({ field, message: 'unknown parameter' })),
      });
    }
    const deleted = await adminCall(ctx, services, { model: 'rest.gateway.request.log', method: 'rest_gateway_clear_request_logs' }, true);
    ctx.body = { data: { deleted: typeof deleted === 'number' ? deleted : 0 } };
  },
};
