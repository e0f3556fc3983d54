/**
 * The rate-limit response headers: the de-facto X-RateLimit-* trio (Reset in
 * Unix seconds, API-CONVENTIONS.md) and the IETF httpapi draft's
 * RateLimit-Policy / RateLimit structured fields, from one decision.
 */
import { WINDOW_SECONDS, type RateLimitDecision } from './fixed-window.js';

/** The draft's policy name; one policy per request, so a fixed name suffices. */
const POLICY = '"default"';

export function rateLimitHeaders(decision: RateLimitDecision): Record<string, string> {
  return {
    'X-RateLimit-Limit': String(decision.limit),
    'X-RateLimit-Remaining': String(decision.remaining),
    'X-RateLimit-Reset': String(decision.resetAt),
    'RateLimit-Policy': `${POLICY};q=${decision.limit};w=${WINDOW_SECONDS}`,
    RateLimit: `${POLICY};r=${decision.remaining};t=${decision.resetIn}`,
  };
}

/** Headers of a 429 answer: the above plus Retry-After. */
export function limitedHeaders(decision: RateLimitDecision): Record<string, string> {
  return { ...rateLimitHeaders(decision), 'Retry-After': String(decision.resetIn) };
}
