/**
 * The retention purge of the webhook outbox: delete delivered, skipped and
 * dead events (with their attempts) older than
 * `rest_gateway.webhook_retention_days` (default 7); scheduled and chunked
 * by jobs/chunked-purge.ts. Pending and in-flight events are never purged,
 * however old.
 */
import type { Db } from '../db/knex.js';
import { purgeWebhookEventChunk, readWebhookRetentionDays } from '../db/webhook-events.js';
import type { Logger } from '../observability/logger.js';
import { PURGE_SCHEDULE, retentionSeconds, runChunks, startChunkedPurge, type ChunkedPurgeResult, type PurgeJob, type RetentionPurgeOptions } from './chunked-purge.js';

export const DEFAULT_WEBHOOK_RETENTION_DAYS = 7;

/** One purge run; each chunk commits on its own. */
export async function purgeWebhookEvents(db: Db, options: RetentionPurgeOptions = {}): Promise<ChunkedPurgeResult> {
  const olderThanSeconds = options.olderThanSeconds ?? (await retentionSeconds(readWebhookRetentionDays(db), DEFAULT_WEBHOOK_RETENTION_DAYS));
  return runChunks((chunkSize) => purgeWebhookEventChunk(db, olderThanSeconds, chunkSize), options);
}

export function startWebhookEventPurge(db: Db, log: Logger, schedule = PURGE_SCHEDULE): PurgeJob {
  return startChunkedPurge({ name: 'purge-webhook-events', subject: 'webhook events', runOnce: (run) => purgeWebhookEvents(db, run), log, schedule });
}
