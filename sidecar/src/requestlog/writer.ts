/**
 * Writes request log entries off the request path: entries wait in a
 * bounded buffer (the oldest dropped and counted when it is full) and are
 * written in batches, one statement per batch, every second or as soon as
 * a batch is full, and at shutdown. A failed write is logged and its batch
 * dropped; nothing here ever fails or delays a request.
 */
import type { BatchResult, RequestLogEntry } from '../db/request-logs.js';
import type { Logger } from '../observability/logger.js';
import { BoundedBuffer } from './bounded-buffer.js';

export const DEFAULT_BUFFER_ROWS = 10_000;
export const DEFAULT_BATCH_ROWS = 500;
export const DEFAULT_FLUSH_INTERVAL_MS = 1_000;

export type BatchInserter = (entries: readonly RequestLogEntry[]) => Promise<BatchResult>;

export interface RequestLogWriterOptions {
  bufferRows?: number;
  batchRows?: number;
  flushIntervalMs?: number;
}

export class RequestLogWriter {
  private readonly buffer: BoundedBuffer<RequestLogEntry>;
  private readonly batchRows: number;
  private readonly timer: NodeJS.Timeout;
  private flushing: Promise<void> | null = null;
  private closed = false;
  /** Totals since start, for tests and diagnostics. */
  readonly totals = { written: 0, dropped: 0, failed: 0 };

  constructor(
    private readonly insert: BatchInserter,
    private readonly log: Logger,
    options: RequestLogWriterOptions = {},
  ) {
    this.buffer = new BoundedBuffer(options.bufferRows ?? DEFAULT_BUFFER_ROWS);
    this.batchRows = options.batchRows ?? DEFAULT_BATCH_ROWS;
    this.timer = setInterval(() => void this.flush(), options.flushIntervalMs ?? DEFAULT_FLUSH_INTERVAL_MS);
    this.timer.unref();
  }

  get pending(): number {
    return this.buffer.length;
  }

  /** Queues an entry; never blocks. A full batch starts a write at once. */
  enqueue(entry: RequestLogEntry): void {
    if (this.closed) return;
    this.buffer.push(entry);
    if (this.buffer.length >= this.batchRows && !this.flushing) void this.flush();
  }

  /** Writes everything queued, batch after batch; concurrent calls share one run. */
  flush(): Promise<void> {
    this.flushing ??= this.drain().finally(() => {
      this.flushing = null;
    });
    return this.flushing;
  }

  /** Stops the timer and writes what is queued (shutdown: after the server closed, before the pool does). */
  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
    this.closed = true;
  }

  private async drain(): Promise<void> {
    this.reportDropped();
    while (this.buffer.length > 0) {
      const batch = this.buffer.take(this.batchRows);
      try {
        await this.insert(batch);
        this.totals.written += batch.length;
      } catch (error) {
        this.totals.failed += batch.length;
        this.log.warn('could not write request log entries; they are lost', { rows: batch.length, error: (error as Error).message });
      }
      this.reportDropped();
    }
  }

  private reportDropped(): void {
    const dropped = this.buffer.takeDropped();
    if (dropped === 0) return;
    this.totals.dropped += dropped;
    this.log.warn('request log buffer full; dropped the oldest entries', { dropped, dropped_total: this.totals.dropped, capacity: this.buffer.capacity });
  }
}
