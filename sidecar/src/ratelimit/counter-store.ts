/** The counter store contract both counting backends implement (D-L1). */

export interface CounterStore {
  /**
   * Counts one request of `bucket` in the window starting at `windowStartMs`
   * and answers its position in the window's count (the request is allowed
   * while that is at most `limit`). Never throws.
   */
  increment(bucket: string, windowStartMs: number, limit: number): Promise<number>;
  /** Writes what is still counted only in this process (at shutdown). */
  close?(): Promise<void>;
}
