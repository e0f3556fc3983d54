/**
 * The purge of expired idempotency records: every ten minutes (node-cron),
 * a few thousand rows per transaction, one sidecar at a time through an
 * advisory lock; the same shape as jobs/purge-changes.ts.
 */
import cron from 'node-cron';
import { purgeIdempotencyChunk } from '../db/idempotency.js';
import type { Db } from '../db/knex.js';
import type { Logger } from '../observability/logger.js';

export const IDEMPOTENCY_PURGE_SCHEDULE = '*/10 * * * *';
export const IDEMPOTENCY_PURGE_CHUNK_ROWS = 5_000;

export interface IdempotencyPurgeResult {
  deleted: number;
  /** Another sidecar held the purge lock. */
  skipped: boolean;
}

/** One purge run; each chunk commits on its own. */
export async function purgeIdempotency(db: Db, shouldStop: () => boolean = () => false, chunkSize = IDEMPOTENCY_PURGE_CHUNK_ROWS): Promise<IdempotencyPurgeResult> {
  let deleted = 0;
  while (!shouldStop()) {
    const chunk = await purgeIdempotencyChunk(db, chunkSize);
    if (chunk === null) return { deleted, skipped: true };
    deleted += chunk;
    if (chunk < chunkSize) break;
  }
  return { deleted, skipped: false };
}

export interface IdempotencyPurgeJob {
  stop(): Promise<void>;
}

export function startIdempotencyPurge(db: Db, log: Logger, schedule = IDEMPOTENCY_PURGE_SCHEDULE): IdempotencyPurgeJob {
  let running: Promise<void> | null = null;
  let stopping = false;
  const run = (): void => {
    if (running || stopping) return;
    running = purgeIdempotency(db, () => stopping)
      .then((result) => {
        if (result.deleted > 0) log.info('purged expired idempotency keys', { ...result });
      })
      .catch((error: unknown) => log.warn('idempotency purge failed; retrying at the next run', { error: (error as Error).message }))
      .finally(() => {
        running = null;
      });
  };
  const task = cron.schedule(schedule, run, { name: 'purge-idempotency', noOverlap: true });
  return {
    async stop() {
      stopping = true;
      await task.stop();
      await running;
    },
  };
}
