/**
 * The purge of expired idempotency records (their expiry is set when they
 * are written); scheduled and chunked by jobs/chunked-purge.ts.
 */
import { purgeIdempotencyChunk } from '../db/idempotency.js';
import type { Db } from '../db/knex.js';
import type { Logger } from '../observability/logger.js';
import { PURGE_SCHEDULE, runChunks, startChunkedPurge, type ChunkedPurgeOptions, type ChunkedPurgeResult, type PurgeJob } from './chunked-purge.js';

/** One purge run; each chunk commits on its own. */
export async function purgeIdempotency(db: Db, options: ChunkedPurgeOptions = {}): Promise<ChunkedPurgeResult> {
  return runChunks((chunkSize) => purgeIdempotencyChunk(db, chunkSize), options);
}

export function startIdempotencyPurge(db: Db, log: Logger, schedule = PURGE_SCHEDULE): PurgeJob {
  return startChunkedPurge({ name: 'purge-idempotency', subject: 'expired idempotency keys', runOnce: (run) => purgeIdempotency(db, run), log, schedule });
}
