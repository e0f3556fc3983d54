/**
 * Writes request log entries off the request path: entries wait in a
 * bounded buffer (the oldest dropped and counted when it is full) and are
 * written in batches, one statement per batch, every second or as soon as
 * a batch is full, and at shutdown. A batch refused for its data (one
 * hostile entry) is written again row by row, and a row still refused is
 * written degraded (degraded-entry.ts): the other entries are never lost
 * with it. A batch that fails otherwise (no database) is logged and
 * dropped; nothing here ever fails or delays a request.
 */
import { isRowDataError, type BatchResult, type RequestLogEntry } from '../db/request-logs.js';
import type { Logger } from '../observability/logger.js';
import { BoundedBuffer } from './bounded-buffer.js';
import { degradeEntry } from './degraded-entry.js';

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
  readonly totals = { written: 0, dropped: 0, failed: 0, degraded: 0 };

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
      await this.write(this.buffer.take(this.batchRows));
      this.reportDropped();
    }
  }

  private async write(batch: RequestLogEntry[]): Promise<void> {
    try {
      await this.insert(batch);
      this.totals.written += batch.length;
      return;
    } catch (error) {
      if (!isRowDataError(error)) return this.lose(batch.length, error);
      this.log.warn('a request log batch was refused for its data; writing it row by row', { rows: batch.length, error: describe(error) });
    }
    // the failed statement wrote nothing (rows and statistics are one statement): each row once
    for (let i = 0; i < batch.length; i += 1) {
      const entry = batch[i] as RequestLogEntry;
      try {
        await this.insertOne(entry);
      } catch (error) {
        return this.lose(batch.length - i, error);
      }
    }
  }

  /** One entry, or its degraded form when the database refuses its data; throws when the database is the problem. */
  private async insertOne(entry: RequestLogEntry): Promise<void> {
    try {
      await this.insert([entry]);
      this.totals.written += 1;
      return;
    } catch (error) {
      if (!isRowDataError(error)) throw error;
      this.log.warn('a request log entry was refused for its data; writing it degraded', { request_id: entry.requestId, error: describe(error) });
    }
    try {
      await this.insert([degradeEntry(entry)]);
      this.totals.written += 1;
      this.totals.degraded += 1;
    } catch (error) {
      if (!isRowDataError(error)) throw error;
      this.lose(1, error);
    }
  }

  private lose(rows: number, error: unknown): void {
    this.totals.failed += rows;
    this.log.warn('could not write request log entries; they are lost', { rows, error: describe(error) });
  }

  private reportDropped(): void {
    const dropped = this.buffer.takeDropped();
    if (dropped === 0) return;
    this.totals.dropped += dropped;
    this.log.warn('request log buffer full; dropped the oldest entries', { dropped, dropped_total: this.totals.dropped, capacity: this.buffer.capacity });
  }
}

/** The database's reason, without the statement text (node-postgres puts the whole SQL in `message`). */
function describe(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  const reason = message.includes(' - ') ? message.slice(message.lastIndexOf(' - ') + 3) : message;
  return typeof code === 'string' ? `${code}: ${reason}` : reason;
}
