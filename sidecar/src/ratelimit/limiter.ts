/**
 * The rate limiter: counts a request in its bucket with the counting backend
 * the settings name (read per request, so a change of
 * `rest_gateway.rate_limit_backend` applies without a restart) and decides.
 * The `off` backend counts nothing; the middleware skips the limiter then.
 */
import type { Db } from '../db/knex.js';
import type { RateLimitBackend } from '../config/gateway-settings.js';
import type { Logger } from '../observability/logger.js';
import type { CounterStore } from './counter-store.js';
import { DatabaseCounterStore } from './database-store.js';
import { decide, windowStart, type RateLimitDecision } from './fixed-window.js';
import { MemoryCounterStore } from './memory-store.js';

/** The backends that count. */
export type CountingBackend = Exclude<RateLimitBackend, 'off'>;

export interface RateLimiter {
  consume(bucket: string, limit: number, backend: CountingBackend): Promise<RateLimitDecision>;
  /** Writes the counts still held in this process (at shutdown). */
  close(): Promise<void>;
}

export function createRateLimiter(stores: Record<CountingBackend, CounterStore>, now: () => number = Date.now): RateLimiter {
  return {
    async consume(bucket, limit, backend) {
      const nowMs = now();
      const count = await stores[backend].increment(bucket, windowStart(nowMs), limit);
      return decide(limit, count, nowMs);
    },
    async close() {
      await Promise.allSettled(Object.values(stores).map((store) => store.close?.()));
    },
  };
}

export function defaultRateLimiter(db: Db, log: Logger): RateLimiter {
  return createRateLimiter({ database: new DatabaseCounterStore(db, log), memory: new MemoryCounterStore() });
}
