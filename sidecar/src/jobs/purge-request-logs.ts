/**
 * The retention purge of the request log and its hourly statistics: every
 * ten minutes (node-cron), delete the log rows and statistics older than
 * their retentions (Settings, REST Gateway), a few thousand rows per
 * transaction so no lock is held long, one sidecar at a time (advisory
 * lock), stoppable at a chunk boundary at shutdown.
 */
import cron from 'node-cron';
import type { Db } from '../db/knex.js';
import { purgeRequestLogChunk, readRequestLogRetention, type PurgedTable } from '../db/request-logs.js';
import type { Logger } from '../observability/logger.js';

export const REQUEST_LOG_PURGE_SCHEDULE = '*/10 * * * *';
export const REQUEST_LOG_PURGE_CHUNK_ROWS = 5_000;
const DAY_SECONDS = 86_400;

export interface RequestLogPurgeOptions {
  /** Purge log rows older than this; default: the retention setting. */
  logOlderThanSeconds?: number;
  /** Purge statistics older than this; default: the retention setting. */
  statOlderThanSeconds?: number;
  chunkSize?: number;
  /** Checked between chunks: a shutdown stops the run at a chunk boundary. */
  shouldStop?: () => boolean;
  /** Called after each chunk with its duration (the lock is held that long at most). */
  onChunk?: (table: PurgedTable, deleted: number, ms: number) => void;
}

export interface RequestLogPurgeResult {
  logsDeleted: number;
  statsDeleted: number;
  chunks: number;
  /** The longest chunk, in milliseconds. */
  longestChunkMs: number;
  /** Another sidecar held the purge lock: it is doing the work. */
  skipped: boolean;
}

/** One purge run over both tables; each chunk commits on its own. */
export async function purgeRequestLogs(db: Db, options: RequestLogPurgeOptions = {}): Promise<RequestLogPurgeResult> {
  const needsRetention = options.logOlderThanSeconds === undefined || options.statOlderThanSeconds === undefined;
  const retention = needsRetention ? await readRequestLogRetention(db) : null;
  const chunkSize = options.chunkSize ?? REQUEST_LOG_PURGE_CHUNK_ROWS;
  const result: RequestLogPurgeResult = { logsDeleted: 0, statsDeleted: 0, chunks: 0, longestChunkMs: 0, skipped: false };
  const plan: Array<[PurgedTable, number]> = [
    ['rest_gateway_request_log', options.logOlderThanSeconds ?? (retention?.logDays ?? 0) * DAY_SECONDS],
    ['rest_gateway_request_stat', options.statOlderThanSeconds ?? (retention?.statDays ?? 0) * DAY_SECONDS],
  ];
  for (const [table, olderThanSeconds] of plan) {
    let from: string | null = null;
    while (!options.shouldStop?.()) {
      const started = performance.now();
      const chunk = await purgeRequestLogChunk(db, table, olderThanSeconds, chunkSize, from);
      const ms = performance.now() - started;
      if (chunk === null) return { ...result, skipped: true };
      const { deleted } = chunk;
      from = chunk.reached ?? from;
      result.chunks += 1;
      result.longestChunkMs = Math.max(result.longestChunkMs, ms);
      if (table === 'rest_gateway_request_log') result.logsDeleted += deleted;
      else result.statsDeleted += deleted;
      options.onChunk?.(table, deleted, ms);
      if (deleted < chunkSize) break; // the rest is younger than the retention (or there is no rest)
    }
  }
  return result;
}

export interface RequestLogPurgeJob {
  /** Stops the schedule and waits for a run in progress to reach a chunk boundary. */
  stop(): Promise<void>;
}

/** Schedules the purge; runs never overlap within a sidecar, and sidecars take turns through the lock. */
export function startRequestLogPurge(db: Db, log: Logger, schedule = REQUEST_LOG_PURGE_SCHEDULE): RequestLogPurgeJob {
  let running: Promise<void> | null = null;
  let stopping = false;
  const run = (): void => {
    if (running || stopping) return;
    const started = performance.now();
    running = purgeRequestLogs(db, { shouldStop: () => stopping })
      .then((result) => {
        if (result.logsDeleted > 0 || result.statsDeleted > 0 || result.skipped) {
          log.info('purged request logs', { ...result, longestChunkMs: Math.round(result.longestChunkMs), ms: Math.round(performance.now() - started) });
        }
      })
      .catch((error: unknown) => log.warn('request log purge failed; retrying at the next run', { error: (error as Error).message }))
      .finally(() => {
        running = null;
      });
  };
  const task = cron.schedule(schedule, run, { name: 'purge-request-logs', noOverlap: true });
  return {
    async stop() {
      stopping = true;
      await task.stop();
      await running;
    },
  };
}
