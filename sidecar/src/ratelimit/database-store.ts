/**
 * The database backend (D-L1): counts shared by every replica in
 * rest_gateway_rate_counter, without a database round trip on most requests.
 *
 * Each process keeps, per bucket and window, the global count of the last
 * database answer plus its own requests not yet written (window-tallies.ts).
 * A request far from its limit is decided on that estimate and written
 * later: a flusher adds every bucket's pending requests in one statement at
 * most every `flushMs` and learns the global counts back. A request is
 * written and decided on the database's answer (synchronously, exact) when
 * it is the first of its bucket in the window in this process, or when the
 * estimate leaves at most `syncMargin` requests. Once the known global count
 * has reached the limit, requests are refused without waiting (counts only
 * grow within a window).
 *
 * Fail-open: when a write fails, requests are decided on the local estimate
 * (the API keeps serving, with per-process limits), the failure is logged
 * once per window, and the flusher retries every `retryMs`, writing the
 * requests counted meanwhile. The first request of each new window deletes
 * the windows before the previous one (delete-on-roll, no cron job needed).
 */
import { addRateCounts, deleteRateCountersBefore, type RateCountDelta } from '../db/rate-counters.js';
import type { Db } from '../db/knex.js';
import type { Logger } from '../observability/logger.js';
import type { CounterStore } from './counter-store.js';
import { WINDOW_SECONDS } from './fixed-window.js';
import { estimate, learn, send, unsend, WindowTallies, type Tally } from './window-tallies.js';

/** Requests always decided by the database near a limit, whatever its size. */
const MIN_SYNC_MARGIN = 5;
/** Share of a limit decided by the database near the limit. */
const SYNC_MARGIN_SHARE = 0.1;

/**
 * How many requests before the limit are decided by the database: at least
 * 5 and 10 % of the limit, and twice the most other replicas added between
 * two of this process's answers in the window (how far its estimate may lag).
 */
export function syncMargin(limit: number, tally: Tally): number {
  return Math.max(MIN_SYNC_MARGIN, Math.ceil(limit * SYNC_MARGIN_SHARE), 2 * tally.othersMostSeen);
}

export interface DatabaseCounterStoreOptions {
  /** Longest time a counted request waits to be written (ms). */
  flushMs?: number;
  /** Retry interval of the flusher while the database fails (ms). */
  retryMs?: number;
}

export class DatabaseCounterStore implements CounterStore {
  private readonly tallies = new WindowTallies();
  private readonly flushMs: number;
  private readonly retryMs: number;
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();
  /** The last write failed: every request is decided locally until a flush succeeds. */
  private unreachable = false;
  private closed = false;
  private lastPurgedWindow = 0;
  private lastLoggedWindow = 0;

  constructor(
    private readonly db: Db,
    private readonly log: Logger,
    options: DatabaseCounterStoreOptions = {},
  ) {
    this.flushMs = options.flushMs ?? 50;
    this.retryMs = options.retryMs ?? 1_000;
  }

  async increment(bucket: string, windowStartMs: number, limit: number): Promise<number> {
    this.purgeOnRoll(windowStartMs);
    const { tally, fresh } = this.tallies.get(bucket, windowStartMs);
    tally.pending += 1;
    const position = estimate(tally);
    const exhausted = tally.known >= limit;
    if (this.unreachable || exhausted || (!fresh && limit - position > syncMargin(limit, tally))) {
      this.scheduleFlush(this.unreachable ? this.retryMs : this.flushMs);
      return position;
    }
    // A flush in flight holds requests of this process already allowed: were
    // it to commit after this write, the count answered here would miss them
    // and the position would be low (one request over the limit). Near the
    // limit, wait for it, so the answer counts everything this process sent.
    await this.flushing;
    const { delta, base } = send(tally);
    try {
      const [total] = await addRateCounts(this.db, [{ bucket, windowStartMs, delta }]);
      if (!total) throw new Error('rate counter upsert returned no row');
      learn(tally, total.count, delta, base);
      // this request was the last of the delta: its position is the global count
      return total.count;
    } catch (error) {
      unsend(tally, delta);
      this.failed(error, windowStartMs);
      return position;
    }
  }

  /** Writes every pending request now; serialized, so two flushes never race. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.writePending());
    return this.flushing;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.flush();
  }

  private scheduleFlush(delayMs: number): void {
    if (this.timer || this.closed) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.flush();
    }, delayMs);
    this.timer.unref();
  }

  private async writePending(): Promise<void> {
    const writes = this.tallies.takePending();
    if (writes.length === 0) return;
    let totals;
    try {
      totals = await addRateCounts(this.db, writes.map(({ bucket, windowStartMs, delta }): RateCountDelta => ({ bucket, windowStartMs, delta })));
    } catch (error) {
      for (const write of writes) {
        const tally = this.tallies.find(write.bucket, write.windowStartMs);
        if (tally) unsend(tally, write.delta);
      }
      this.failed(error, Math.max(...writes.map((w) => w.windowStartMs)));
      return;
    }
    this.unreachable = false;
    const counts = new Map(totals.map((t) => [`${t.windowStartMs} ${t.bucket}`, t.count]));
    for (const write of writes) {
      const tally = this.tallies.find(write.bucket, write.windowStartMs);
      const count = counts.get(`${write.windowStartMs} ${write.bucket}`);
      if (tally && count !== undefined) learn(tally, count, write.delta, write.base);
    }
  }

  private failed(error: unknown, windowStartMs: number): void {
    this.unreachable = true;
    if (this.lastLoggedWindow !== windowStartMs) {
      this.lastLoggedWindow = windowStartMs;
      this.log.error('rate limit counters unreachable; counting in memory (fail-open)', { error: (error as Error).message });
    }
    this.scheduleFlush(this.retryMs);
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
