/** The webhook management routes, in matching order (fixed sub-paths before `/webhooks/:id`). */
import type { RouteDefinition } from '../../http/types.js';
import { createWebhook } from './create-webhook.js';
import { deleteWebhook } from './delete-webhook.js';
import { listWebhooks } from './list-webhooks.js';
import { readWebhook } from './read-webhook.js';
import { rotateWebhookSecret } from './rotate-webhook-secret.js';
import { testWebhook } from './test-webhook.js';
import { updateWebhook } from './update-webhook.js';

export const webhookRoutes: RouteDefinition[] = [
  listWebhooks,
  createWebhook,
  rotateWebhookSecret,
  testWebhook,
  readWebhook,
  updateWebhook,
  deleteWebhook,
];
