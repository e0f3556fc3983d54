/**
 * When a failed delivery is tried again: the webhook's exponential delay,
 * min(max, base × 2^(n−1)) after attempt n, with ±20 % jitter so that
 * events failing together do not retry together, or the receiver's
 * `Retry-After` (RFC 9110 §10.2.3: seconds or an HTTP date) when later.
 */

export const JITTER = 0.2;
/** A Retry-After further away than this is capped (a receiver cannot park an event for ever). */
export const MAX_RETRY_AFTER_SECONDS = 7 * 86_400;

export interface RetryPolicy {
  baseDelaySeconds: number;
  maxDelaySeconds: number;
}

/** The delay in seconds before attempt `attempt + 1`; `random` in [0, 1) picks the jitter. */
export function backoffSeconds(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const exponent = Math.max(0, Math.min(attempt - 1, 30));
  const nominal = Math.min(policy.maxDelaySeconds, policy.baseDelaySeconds * 2 ** exponent);
  return nominal * (1 - JITTER + 2 * JITTER * random());
}

/** A Retry-After header as seconds from `now`, or null when absent or unreadable; past dates are 0. */
export function parseRetryAfter(value: string | null | undefined, now: Date): number | null {
  if (!value) return null;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Math.min(Number(text), MAX_RETRY_AFTER_SECONDS);
  // IMF-fixdate and the obsolete forms (RFC 9110 §5.6.7); a bare number or ISO string is not an HTTP date
  if (!/^[A-Za-z]{3,9},? /.test(text)) return null;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return null;
  return Math.min(Math.max(0, (at - now.getTime()) / 1000), MAX_RETRY_AFTER_SECONDS);
}

/** The delay before the next attempt: the backoff, or the receiver's Retry-After when later. */
export function retryDelaySeconds(attempt: number, policy: RetryPolicy, retryAfterSeconds: number | null, random: () => number = Math.random): number {
  const backoff = backoffSeconds(attempt, policy, random);
  return retryAfterSeconds !== null && retryAfterSeconds > backoff ? retryAfterSeconds : backoff;
}
