/**
 * The retention purge of the request log and its hourly statistics: delete
 * the log rows and statistics older than their retentions (Settings, REST
 * Gateway), each chunk starting where the previous one stopped; scheduled
 * and chunked by jobs/chunked-purge.ts.
 */
import type { Db } from '../db/knex.js';
import { purgeRequestLogChunk, readRequestLogRetention, type PurgedTable } from '../db/request-logs.js';
import type { Logger } from '../observability/logger.js';
import {
  DAY_SECONDS,
  PURGE_SCHEDULE,
  runChunks,
  startChunkedPurge,
  type ChunkedPurgeOptions,
  type ChunkedPurgeResult,
  type PurgeJob,
} from './chunked-purge.js';

export interface RequestLogPurgeOptions extends ChunkedPurgeOptions {
  /** Purge log rows older than this; default: the retention setting. */
  logOlderThanSeconds?: number;
  /** Purge statistics older than this; default: the retention setting. */
  statOlderThanSeconds?: number;
  /** Called after each chunk with its duration (the lock is held that long at most). */
  onChunk?: (table: PurgedTable, deleted: number, ms: number) => void;
}

/** `deleted` counts the log rows and statistics together. */
export interface RequestLogPurgeResult extends ChunkedPurgeResult {
  logsDeleted: number;
  statsDeleted: number;
  /** The longest chunk, in whole milliseconds. */
  longestChunkMs: number;
}

/** One purge run over both tables, the log first; each chunk commits on its own. */
export async function purgeRequestLogs(db: Db, options: RequestLogPurgeOptions = {}): Promise<RequestLogPurgeResult> {
  const needsRetention = options.logOlderThanSeconds === undefined || options.statOlderThanSeconds === undefined;
  const retention = needsRetention ? await readRequestLogRetention(db) : null;
  let longestChunkMs = 0;
  const purgeTable = async (table: PurgedTable, olderThanSeconds: number) => {
    let from: string | null = null; // where the next chunk starts
    const purgeChunk = async (chunkSize: number): Promise<number | null> => {
      const chunk = await purgeRequestLogChunk(db, table, olderThanSeconds, chunkSize, from);
      if (chunk) from = chunk.reached ?? from;
      return chunk?.deleted ?? null;
    };
    const onChunk = (deleted: number, ms: number): void => {
      longestChunkMs = Math.max(longestChunkMs, ms);
      options.onChunk?.(table, deleted, ms);
    };
    return runChunks(purgeChunk, { chunkSize: options.chunkSize, shouldStop: options.shouldStop, onChunk });
  };
  const logs = await purgeTable('rest_gateway_request_log', options.logOlderThanSeconds ?? (retention?.logDays ?? 0) * DAY_SECONDS);
  const stats = logs.skipped
    ? { deleted: 0, chunks: 0, skipped: true }
    : await purgeTable('rest_gateway_request_stat', options.statOlderThanSeconds ?? (retention?.statDays ?? 0) * DAY_SECONDS);
  return {
    deleted: logs.deleted + stats.deleted,
    logsDeleted: logs.deleted,
    statsDeleted: stats.deleted,
    chunks: logs.chunks + stats.chunks,
    longestChunkMs: Math.round(longestChunkMs),
    skipped: stats.skipped,
  };
}

export function startRequestLogPurge(db: Db, log: Logger, schedule = PURGE_SCHEDULE): PurgeJob {
  return startChunkedPurge({ name: 'purge-request-logs', subject: 'request logs', runOnce: (run) => purgeRequestLogs(db, run), log, schedule });
}
