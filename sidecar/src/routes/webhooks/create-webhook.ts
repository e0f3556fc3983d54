/** POST /webhooks: subscribe to a model's events; the answer holds the signing secret, once. */
import type { RouteDefinition } from '../../http/types.js';
import { parseJsonBody } from '../auth/auth-support.js';
import { authorizeWebhookValues } from './authorize-webhook.js';
import { createWebhookBody, webhookCall } from './webhook-support.js';

export const createWebhook: RouteDefinition = {
  method: 'post',
  path: '/webhooks',
  operationId: 'createWebhook',
  summary: 'Create a webhook (the secret is shown once)',
  tags: ['Webhooks'],
  authenticated: true,
  async handler(ctx, services) {
    const values = await authorizeWebhookValues(ctx, services, parseJsonBody(ctx, createWebhookBody));
    const data = (await webhookCall(ctx, services, 'create', [values], true)) as { id: number };
    ctx.status = 201;
    ctx.set('Location', `${ctx.path.replace(/\/+$/, '')}/${data.id}`);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { data };
  },
};
