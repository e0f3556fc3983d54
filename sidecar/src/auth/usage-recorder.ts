/**
 * Accumulates credential use in memory and flushes it every few seconds
 * (and at shutdown) with one UPDATE per table: last-used time and use
 * count without a database write per request.
 */
import { recordCredentialUsage, type UsageRow, type UsageTable } from '../db/credential-usage.js';
import type { Db } from '../db/knex.js';
import type { Logger } from '../observability/logger.js';
import type { Principal } from '../policy/types.js';

export class UsageRecorder {
  private pending = new Map<UsageTable, Map<number, UsageRow>>();
  private readonly timer: NodeJS.Timeout;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Db,
    private readonly log: Logger,
    intervalMs = 5_000,
  ) {
    this.timer = setInterval(() => void this.flush(), intervalMs);
    this.timer.unref();
  }

  record(table: UsageTable, id: number, at = new Date()): void {
    const rows = this.pending.get(table) ?? new Map<number, UsageRow>();
    const row = rows.get(id);
    if (row) {
      row.count += 1;
      if (at > row.lastUsedAt) row.lastUsedAt = at;
    } else {
      rows.set(id, { id, count: 1, lastUsedAt: at });
    }
    this.pending.set(table, rows);
  }

  /** The rows a principal's request uses. */
  recordPrincipal(principal: Principal): void {
    if (principal.kind === 'api_key') this.record('rest_gateway_key', principal.credentialId);
    if (principal.kind === 'oauth') this.record('rest_gateway_oauth_client', principal.credentialId);
    if (principal.tokenId !== undefined) this.record('rest_gateway_token', principal.tokenId);
  }

  /** Writes what accumulated; serialized, so two flushes never race. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(async () => {
      const batch = this.pending;
      this.pending = new Map();
      for (const [table, rows] of batch) {
        try {
          await recordCredentialUsage(this.db, table, [...rows.values()]);
        } catch (error) {
          this.log.warn('could not record credential usage', { table, error: (error as Error).message });
        }
      }
    });
    return this.flushing;
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }
}
