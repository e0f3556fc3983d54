/**
 * The rate limiter: picks the backend the settings name (per request, so a
 * change of `rest_gateway.rate_limit_backend` applies without a restart),
 * counts the request in its bucket and decides.
 */
import type { Db } from '../db/knex.js';
import type { GatewaySettings } from '../config/gateway-settings.js';
import type { Logger } from '../observability/logger.js';
import type { CounterStore } from './counter-store.js';
import { DatabaseCounterStore } from './database-store.js';
import { decide, windowStart, type RateLimitDecision } from './fixed-window.js';
import { MemoryCounterStore } from './memory-store.js';

export interface RateLimiter {
  consume(bucket: string, limit: number, settings: GatewaySettings): Promise<RateLimitDecision>;
}

export function createRateLimiter(stores: { database: CounterStore; memory: CounterStore }, now: () => number = Date.now): RateLimiter {
  return {
    async consume(bucket, limit, settings) {
      const nowMs = now();
      const count = await stores[settings.rateLimitBackend].increment(bucket, windowStart(nowMs));
      return decide(limit, count, nowMs);
    },
  };
}

export function defaultRateLimiter(db: Db, log: Logger): RateLimiter {
  return createRateLimiter({ database: new DatabaseCounterStore(db, log), memory: new MemoryCounterStore() });
}
