/**
 * The retention purge of the webhook outbox: every ten minutes (node-cron),
 * delete delivered, skipped and dead events (with their attempts) older
 * than `rest_gateway.webhook_retention_days` (default 7), a few thousand
 * rows per transaction, one sidecar at a time; the shape of purge-changes.ts.
 * Pending and in-flight events are never purged, however old.
 */
import cron from 'node-cron';
import type { Db } from '../db/knex.js';
import { purgeWebhookEventChunk, readWebhookRetentionDays } from '../db/webhook-events.js';
import type { Logger } from '../observability/logger.js';

export const WEBHOOK_PURGE_SCHEDULE = '*/10 * * * *';
export const WEBHOOK_PURGE_CHUNK_ROWS = 5_000;
export const DEFAULT_WEBHOOK_RETENTION_DAYS = 7;
const DAY_SECONDS = 86_400;

export interface WebhookPurgeOptions {
  /** Purge events older than this; default: the retention setting. */
  olderThanSeconds?: number;
  chunkSize?: number;
  shouldStop?: () => boolean;
}

export interface WebhookPurgeResult {
  deleted: number;
  /** Another sidecar held the purge lock. */
  skipped: boolean;
}

/** One purge run; each chunk commits on its own. */
export async function purgeWebhookEvents(db: Db, options: WebhookPurgeOptions = {}): Promise<WebhookPurgeResult> {
  const olderThanSeconds = options.olderThanSeconds ?? ((await readWebhookRetentionDays(db)) ?? DEFAULT_WEBHOOK_RETENTION_DAYS) * DAY_SECONDS;
  const chunkSize = options.chunkSize ?? WEBHOOK_PURGE_CHUNK_ROWS;
  let deleted = 0;
  while (!options.shouldStop?.()) {
    const chunk = await purgeWebhookEventChunk(db, olderThanSeconds, chunkSize);
    if (chunk === null) return { deleted, skipped: true };
    deleted += chunk;
    if (chunk < chunkSize) break;
  }
  return { deleted, skipped: false };
}

export interface WebhookPurgeJob {
  stop(): Promise<void>;
}

export function startWebhookEventPurge(db: Db, log: Logger, schedule = WEBHOOK_PURGE_SCHEDULE): WebhookPurgeJob {
  let running: Promise<void> | null = null;
  let stopping = false;
  const run = (): void => {
    if (running || stopping) return;
    running = purgeWebhookEvents(db, { shouldStop: () => stopping })
      .then((result) => {
        if (result.deleted > 0) log.info('purged webhook events', { ...result });
      })
      .catch((error: unknown) => log.warn('webhook event purge failed; retrying at the next run', { error: (error as Error).message }))
      .finally(() => {
        running = null;
      });
  };
  const task = cron.schedule(schedule, run, { name: 'purge-webhook-events', noOverlap: true });
  return {
    async stop() {
      stopping = true;
      await task.stop();
      await running;
    },
  };
}
