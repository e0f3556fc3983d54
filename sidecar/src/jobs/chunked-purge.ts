/**
 * What every retention purge shares (docs/decisions.md D-J1): a run deletes
 * chunk after chunk, each in its own short transaction under the purge's
 * advisory lock (so one sidecar purges at a time and no lock is held long),
 * and stops at a chunk boundary at shutdown; a node-cron schedule starts a
 * run every ten minutes, never two at once in a sidecar, logs what a run
 * did or why it failed, and on stop waits for the run in progress.
 *
 * A purge itself (jobs/purge-*.ts) only says what one chunk deletes and how
 * old a row must be; the chunk functions live with their tables in db/.
 */
import cron from 'node-cron';
import type { Logger } from '../observability/logger.js';

export const PURGE_SCHEDULE = '*/10 * * * *';
export const PURGE_CHUNK_ROWS = 5_000;
export const DAY_SECONDS = 86_400;

/**
 * Deletes up to `chunkSize` rows in its own transaction: the rows deleted,
 * or null when another sidecar holds the purge lock (it is doing the work).
 */
export type PurgeChunk = (chunkSize: number) => Promise<number | null>;

/** What every purge run takes. */
export interface ChunkedPurgeOptions {
  /** Rows per chunk (default 5,000); a shorter chunk is the last: the rest is younger than the retention. */
  chunkSize?: number;
  /** Checked before each chunk: a shutdown stops the run at a chunk boundary. */
  shouldStop?: () => boolean;
}

/** A purge of the rows older than a retention read from a setting. */
export interface RetentionPurgeOptions extends ChunkedPurgeOptions {
  /** Purge the rows older than this; default: the retention setting. */
  olderThanSeconds?: number;
}

export interface ChunkLoopOptions extends ChunkedPurgeOptions {
  /** Called after each chunk with its rows and duration (the lock is held that long at most). */
  onChunk?: (deleted: number, ms: number) => void;
}

export interface ChunkedPurgeResult {
  deleted: number;
  chunks: number;
  /** Another sidecar held the purge lock: it is doing the work. */
  skipped: boolean;
}

/** The retention in seconds: the setting's days when set, else the default's. */
export async function retentionSeconds(settingDays: Promise<number | null>, defaultDays: number): Promise<number> {
  return ((await settingDays) ?? defaultDays) * DAY_SECONDS;
}

/** Runs chunks until one is short, the lock is elsewhere, or `shouldStop` answers true. */
export async function runChunks(purgeChunk: PurgeChunk, options: ChunkLoopOptions = {}): Promise<ChunkedPurgeResult> {
  const chunkSize = options.chunkSize ?? PURGE_CHUNK_ROWS;
  const result: ChunkedPurgeResult = { deleted: 0, chunks: 0, skipped: false };
  while (!options.shouldStop?.()) {
    const started = performance.now();
    const deleted = await purgeChunk(chunkSize);
    if (deleted === null) return { ...result, skipped: true };
    result.deleted += deleted;
    result.chunks += 1;
    options.onChunk?.(deleted, performance.now() - started);
    if (deleted < chunkSize) break; // the rest is younger than the retention (or there is no rest)
  }
  return result;
}

export interface PurgeJob {
  /** Stops the schedule and waits for a run in progress to reach a chunk boundary. */
  stop(): Promise<void>;
}

export interface ChunkedPurgeJobOptions {
  /** The cron task's name, e.g. `purge-changes`. */
  name: string;
  /** What is purged, in the log lines: `purged <subject>`, `<subject> purge failed`. */
  subject: string;
  /** One run; it stops at a chunk boundary once `shouldStop` answers true. Its result is logged unless it deleted nothing and was not skipped. */
  runOnce: (options: { shouldStop: () => boolean }) => Promise<ChunkedPurgeResult>;
  log: Logger;
  schedule?: string;
}

/** Schedules a purge; runs never overlap within a sidecar, and sidecars take turns through the lock. */
export function startChunkedPurge(options: ChunkedPurgeJobOptions): PurgeJob {
  const { subject, log } = options;
  let running: Promise<void> | null = null;
  let stopping = false;
  const run = (): void => {
    if (running || stopping) return;
    const started = performance.now();
    running = options
      .runOnce({ shouldStop: () => stopping })
      .then((result) => {
        if (result.deleted > 0 || result.skipped) log.info(`purged ${subject}`, { ...result, ms: Math.round(performance.now() - started) });
      })
      .catch((error: unknown) => log.warn(`${subject} purge failed; retrying at the next run`, { error: error instanceof Error ? error.message : String(error) }))
      .finally(() => {
        running = null;
      });
  };
  const task = cron.schedule(options.schedule ?? PURGE_SCHEDULE, run, { name: options.name, noOverlap: true });
  return {
    async stop() {
      stopping = true;
      await task.stop();
      await running;
    },
  };
}
