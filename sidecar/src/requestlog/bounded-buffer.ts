/**
 * A first-in first-out queue of bounded size: pushing onto a full queue
 * drops the oldest item and counts it, so a writer that falls behind costs
 * memory up to the bound and never blocks the producer.
 */
export class BoundedBuffer<T> {
  private items: T[] = [];
  private head = 0;
  /** Items dropped because the queue was full, since the last `takeDropped()`. */
  private dropped = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('capacity must be a positive integer');
  }

  get length(): number {
    return this.items.length - this.head;
  }

  push(item: T): void {
    if (this.length >= this.capacity) {
      this.head += 1;
      this.dropped += 1;
    }
    this.items.push(item);
    this.compact();
  }

  /** Removes and answers up to `count` of the oldest items. */
  take(count: number): T[] {
    const taken = this.items.slice(this.head, this.head + count);
    this.head += taken.length;
    this.compact();
    return taken;
  }

  /** The drop count since the last call, reset to zero. */
  takeDropped(): number {
    const dropped = this.dropped;
    this.dropped = 0;
    return dropped;
  }

  /** Reclaims the consumed prefix once it is as large as what is left. */
  private compact(): void {
    if (this.head > 0 && this.head >= this.items.length - this.head) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }
}
