/**
 * The retention purge of captured changes: delete the changes older than
 * the retention the admin sets, moving the purge horizon with each chunk
 * (docs/decisions.md D-C4); scheduled and chunked by jobs/chunked-purge.ts.
 */
import { purgeChangeChunk, readChangeRetentionDays } from '../db/changes.js';
import type { Db } from '../db/knex.js';
import type { Logger } from '../observability/logger.js';
import { PURGE_SCHEDULE, retentionSeconds, runChunks, startChunkedPurge, type ChunkedPurgeResult, type PurgeJob, type RetentionPurgeOptions } from './chunked-purge.js';

export const DEFAULT_RETENTION_DAYS = 7;

/** One purge run; each chunk commits on its own. */
export async function purgeChanges(db: Db, options: RetentionPurgeOptions = {}): Promise<ChunkedPurgeResult> {
  const olderThanSeconds = options.olderThanSeconds ?? (await retentionSeconds(readChangeRetentionDays(db), DEFAULT_RETENTION_DAYS));
  return runChunks((chunkSize) => purgeChangeChunk(db, olderThanSeconds, chunkSize), options);
}

export function startChangePurge(db: Db, log: Logger, schedule = PURGE_SCHEDULE): PurgeJob {
  return startChunkedPurge({ name: 'purge-changes', subject: 'captured changes', runOnce: (run) => purgeChanges(db, run), log, schedule });
}
