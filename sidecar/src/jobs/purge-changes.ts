/**
 * The retention purge of captured changes: every ten minutes (node-cron),
 * delete the changes older than the retention the admin sets, a few
 * thousand rows per transaction so no lock is held long, moving the purge
 * horizon with each chunk (docs/decisions.md D-C4).
 */
import cron from 'node-cron';
import { purgeChangeChunk, readChangeRetentionDays } from '../db/changes.js';
import type { Db } from '../db/knex.js';
import type { Logger } from '../observability/logger.js';

export const PURGE_SCHEDULE = '*/10 * * * *';
export const PURGE_CHUNK_ROWS = 5_000;
export const DEFAULT_RETENTION_DAYS = 7;
const DAY_SECONDS = 86_400;

export interface PurgeOptions {
  /** Purge changes older than this; default: the retention setting. */
  olderThanSeconds?: number;
  chunkSize?: number;
  /** Checked between chunks: a shutdown stops the run at a chunk boundary. */
  shouldStop?: () => boolean;
}

export interface PurgeResult {
  deleted: number;
  chunks: number;
  /** Another sidecar held the purge lock: it is doing the work. */
  skipped: boolean;
}

/** One purge run; each chunk commits on its own. */
export async function purgeChanges(db: Db, options: PurgeOptions = {}): Promise<PurgeResult> {
  const olderThanSeconds = options.olderThanSeconds ?? ((await readChangeRetentionDays(db)) ?? DEFAULT_RETENTION_DAYS) * DAY_SECONDS;
  const chunkSize = options.chunkSize ?? PURGE_CHUNK_ROWS;
  const result: PurgeResult = { deleted: 0, chunks: 0, skipped: false };
  while (!options.shouldStop?.()) {
    const deleted = await purgeChangeChunk(db, olderThanSeconds, chunkSize);
    if (deleted === null) return { ...result, skipped: true };
    result.deleted += deleted;
    result.chunks += 1;
    if (deleted < chunkSize) break; // the rest is younger than the retention (or there is no rest)
  }
  return result;
}

export interface PurgeJob {
  /** Stops the schedule and waits for a run in progress to reach a chunk boundary. */
  stop(): Promise<void>;
}

/** Schedules the purge; runs never overlap within a sidecar, and sidecars take turns through the lock. */
export function startChangePurge(db: Db, log: Logger, schedule = PURGE_SCHEDULE): PurgeJob {
  let running: Promise<void> | null = null;
  let stopping = false;
  const run = (): void => {
    if (running || stopping) return;
    const started = performance.now();
    running = purgeChanges(db, { shouldStop: () => stopping })
      .then((result) => {
        if (result.deleted > 0 || result.skipped) log.info('purged captured changes', { ...result, ms: Math.round(performance.now() - started) });
      })
      .catch((error: unknown) => log.warn('change purge failed; retrying at the next run', { error: (error as Error).message }))
      .finally(() => {
        running = null;
      });
  };
  const task = cron.schedule(schedule, run, { name: 'purge-changes', noOverlap: true });
  return {
    async stop() {
      stopping = true;
      await task.stop();
      await running;
    },
  };
}
