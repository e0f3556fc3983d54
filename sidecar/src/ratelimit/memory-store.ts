/**
 * The memory backend: counters in a Map of this process only (not shared
 * between replicas). Counters of past windows are dropped when the window
 * rolls, so the Map holds at most one window's buckets.
 */
import type { CounterStore } from './counter-store.js';

export class MemoryCounterStore implements CounterStore {
  private window = 0;
  private readonly counts = new Map<string, number>();

  increment(bucket: string, windowStartMs: number): Promise<number> {
    return Promise.resolve(this.incrementNow(bucket, windowStartMs));
  }

  incrementNow(bucket: string, windowStartMs: number): number {
    if (windowStartMs !== this.window) {
      // a request from an older window (clock skew between calls) starts a new count rather than resurrecting one
      this.window = windowStartMs;
      this.counts.clear();
    }
    const count = (this.counts.get(bucket) ?? 0) + 1;
    this.counts.set(bucket, count);
    return count;
  }
}
