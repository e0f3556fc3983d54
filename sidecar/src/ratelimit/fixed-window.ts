/**
 * The rate-limit algorithm: a fixed one-minute window per bucket (D-L1).
 * Pure arithmetic on a count already incremented by a counter store, so the
 * memory and the database backends decide identically.
 */

export const WINDOW_SECONDS = 60;
const WINDOW_MS = WINDOW_SECONDS * 1000;

/** What one request's count means, and what its headers say. */
export interface RateLimitDecision {
  allowed: boolean;
  /** Requests allowed per window. */
  limit: number;
  /** Requests left in this window (never negative). */
  remaining: number;
  /** Unix seconds at which the window ends and the count restarts. */
  resetAt: number;
  /** Whole seconds until resetAt (at least 1): Retry-After and the draft's `t`. */
  resetIn: number;
}

/** Start (epoch ms) of the window that holds `nowMs`. */
export function windowStart(nowMs: number): number {
  return Math.floor(nowMs / WINDOW_MS) * WINDOW_MS;
}

/** The decision for the `count`-th request of the window holding `nowMs`. */
export function decide(limit: number, count: number, nowMs: number): RateLimitDecision {
  const end = windowStart(nowMs) + WINDOW_MS;
  return {
    allowed: count <= limit,
    limit,
    remaining: Math.max(0, limit - count),
    resetAt: end / 1000,
    resetIn: Math.max(1, Math.ceil((end - nowMs) / 1000)),
  };
}
