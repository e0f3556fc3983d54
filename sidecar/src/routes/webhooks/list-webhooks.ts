/** GET /webhooks: the calling API key's webhooks, archived ones included. */
import type { RouteDefinition } from '../../http/types.js';
import { webhookCall } from './webhook-support.js';

export const listWebhooks: RouteDefinition = {
  method: 'get',
  path: '/webhooks',
  operationId: 'listWebhooks',
  summary: "List this API key's webhooks",
  tags: ['Webhooks'],
  authenticated: true,
  query: [],
  async handler(ctx, services) {
    const records = (await webhookCall(ctx, services, 'list', [], false)) as unknown[];
    ctx.body = { data: records, meta: { total: records.length } };
  },
};
