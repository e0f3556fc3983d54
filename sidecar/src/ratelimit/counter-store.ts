/** The counter store contract both backends implement (D-L1). */

export interface CounterStore {
  /** Counts one request of `bucket` in the window starting at `windowStartMs`; answers the count so far. Never throws. */
  increment(bucket: string, windowStartMs: number): Promise<number>;
}
