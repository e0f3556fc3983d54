/** PATCH /webhooks/{id}: change the keys given (`active: true` resumes a webhook a 410 disabled). */
import type { RouteDefinition } from '../../http/types.js';
import { parseJsonBody } from '../auth/auth-support.js';
import { authorizeWebhookValues } from './authorize-webhook.js';
import { updateWebhookBody, webhookCall, webhookId } from './webhook-support.js';

export const updateWebhook: RouteDefinition = {
  method: 'patch',
  path: '/webhooks/:id',
  operationId: 'updateWebhook',
  summary: 'Update a webhook',
  tags: ['Webhooks'],
  authenticated: true,
  async handler(ctx, services) {
    const id = webhookId(ctx);
    const values = await authorizeWebhookValues(ctx, services, parseJsonBody(ctx, updateWebhookBody), id);
    ctx.body = { data: await webhookCall(ctx, services, 'update', [id, values], true) };
  },
};
