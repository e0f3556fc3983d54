/**
 * The database backend: one atomic upsert per request in
 * rest_gateway_rate_counter, shared by every replica. When the database
 * does not answer, requests are counted in memory instead (fail-open: the
 * API keeps serving, with per-process limits) and the failure is logged
 * once per window. The first request of each new window deletes the
 * windows before the previous one (delete-on-roll, no cron job needed).
 */
import { deleteRateCountersBefore, incrementRateCounter } from '../db/rate-counters.js';
import type { Db } from '../db/knex.js';
import type { Logger } from '../observability/logger.js';
import type { CounterStore } from './counter-store.js';
import { WINDOW_SECONDS } from './fixed-window.js';
import { MemoryCounterStore } from './memory-store.js';

export class DatabaseCounterStore implements CounterStore {
  private readonly fallback = new MemoryCounterStore();
  private lastPurgedWindow = 0;
  private lastLoggedWindow = 0;

  constructor(
    private readonly db: Db,
    private readonly log: Logger,
  ) {}

  async increment(bucket: string, windowStartMs: number): Promise<number> {
    this.purgeOnRoll(windowStartMs);
    try {
      return await incrementRateCounter(this.db, bucket, new Date(windowStartMs));
    } catch (error) {
      if (this.lastLoggedWindow !== windowStartMs) {
        this.lastLoggedWindow = windowStartMs;
        this.log.error('rate limit counters unreachable; counting in memory (fail-open)', { error: (error as Error).message });
      }
      return this.fallback.incrementNow(bucket, windowStartMs);
    }
  }

  private purgeOnRoll(windowStartMs: number): void {
    if (windowStartMs <= this.lastPurgedWindow) return;
    this.lastPurgedWindow = windowStartMs;
    // keep the previous window: a replica whose clock lags slightly may still be counting in it
    const before = new Date(windowStartMs - WINDOW_SECONDS * 1000);
    deleteRateCountersBefore(this.db, before).catch((error: unknown) => {
      this.log.warn('rate counter purge failed; retrying at the next window', { error: (error as Error).message });
    });
  }
}
