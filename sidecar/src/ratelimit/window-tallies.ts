/**
 * What one sidecar process knows of each bucket's count, per one-minute
 * window (D-L1): the global count of the last database answer, the requests
 * counted here and not yet written, and those in a write not yet answered.
 * Only the current and the previous window are kept.
 */
import { WINDOW_SECONDS } from './fixed-window.js';

const WINDOW_MS = WINDOW_SECONDS * 1000;

export interface Tally {
  /** Every replica's count at the last database answer (this process's answered writes included). */
  known: number;
  /** Requests counted here, not yet sent to the database. */
  pending: number;
  /** Requests counted here, in a write not yet answered. */
  sending: number;
  /**
   * The most requests other replicas added between two of this process's
   * answers in this window: how far `known` may lag. The most, not the
   * last: two answers in quick succession near the limit see few, while
   * requests other replicas allowed locally may still be unwritten.
   */
  othersMostSeen: number;
}

export class WindowTallies {
  private readonly windows = new Map<number, Map<string, Tally>>();

  /** The bucket's tally in the window, and whether this process had none yet. */
  get(bucket: string, windowStartMs: number): { tally: Tally; fresh: boolean } {
    let buckets = this.windows.get(windowStartMs);
    if (!buckets) {
      buckets = new Map();
      this.windows.set(windowStartMs, buckets);
      // keep the previous window: its last pending requests are still written
      for (const start of this.windows.keys()) if (start < windowStartMs - WINDOW_MS) this.windows.delete(start);
    }
    let tally = buckets.get(bucket);
    if (tally) return { tally, fresh: false };
    tally = { known: 0, pending: 0, sending: 0, othersMostSeen: 0 };
    buckets.set(bucket, tally);
    return { tally, fresh: true };
  }

  /** The tally if it is still kept (a write may answer after its window was dropped). */
  find(bucket: string, windowStartMs: number): Tally | undefined {
    return this.windows.get(windowStartMs)?.get(bucket);
  }

  /** Every tally with pending requests, moved to `sending`: what one flush writes. */
  takePending(): PendingWrite[] {
    const taken: PendingWrite[] = [];
    for (const [windowStartMs, buckets] of this.windows) {
      for (const [bucket, tally] of buckets) {
        if (tally.pending === 0) continue;
        taken.push({ bucket, windowStartMs, ...send(tally) });
      }
    }
    return taken;
  }

  hasPending(): boolean {
    for (const buckets of this.windows.values()) for (const tally of buckets.values()) if (tally.pending > 0) return true;
    return false;
  }
}

/** Requests of one tally sent in one write. */
export interface PendingWrite {
  bucket: string;
  windowStartMs: number;
  delta: number;
  /** known + sending before the write: what `learn` compares the answer with. */
  base: number;
}

/** Moves the tally's pending requests to `sending`: the delta to write and its base. */
export function send(tally: Tally): { delta: number; base: number } {
  const written = { delta: tally.pending, base: tally.known + tally.sending };
  tally.sending += tally.pending;
  tally.pending = 0;
  return written;
}

/** This process's best estimate of the bucket's global count. */
export function estimate(tally: Tally): number {
  return tally.known + tally.sending + tally.pending;
}

/**
 * Learns a database answer: `count` is the global count once `written` of
 * this process's requests were added, `base` the estimate's known part
 * (known + sending) when they were sent. Counts only grow within a window,
 * so the highest answer is the latest.
 */
export function learn(tally: Tally, count: number, written: number, base: number): void {
  tally.sending = Math.max(0, tally.sending - written);
  tally.othersMostSeen = Math.max(tally.othersMostSeen, count - base - written);
  tally.known = Math.max(tally.known, count);
}

/** Puts back requests whose write failed, to be written later. */
export function unsend(tally: Tally, written: number): void {
  tally.sending = Math.max(0, tally.sending - written);
  tally.pending += written;
}
