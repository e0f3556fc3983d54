/**
 * The webhook delivery loop of one sidecar. It wakes on NOTIFY
 * `rest_gateway_webhook` (the capture trigger's, at commit), on a timer
 * (retries come due, leases of stopped sidecars pass) and whenever a
 * delivery ends (the next event of that record may now go); it claims as
 * many due events as it has free delivery slots, reads each webhook's
 * records in one bridge call, and sends them concurrently. At shutdown it
 * stops claiming and lets the deliveries in flight end; a crash leaves
 * claimed events to their lease.
 */
import { listenForConfigChanges, type ConfigListener } from '../db/config-listener.js';
import type { Db } from '../db/knex.js';
import { claimWebhookEvents, disableWebhook, readWebhooks, resolveWebhookEvents, WEBHOOK_CHANNEL, type EventResolution } from '../db/webhook-events.js';
import { deliverEvent, GONE_REASON } from './deliver-event.js';
import type { OutboundClient } from './outbound-client.js';
import { readEventRecords, type RecordReadResult, type RecordReaderServices } from './record-reader.js';
import type { ClaimedEvent, WebhookRow } from './types.js';

/** Margin of a lease over the webhook's timeout: the record read and the bookkeeping. */
export const LEASE_MARGIN_SECONDS = 10;
/** Events put back because nothing could be sent (Odoo away) wait this long. */
export const RELEASE_DELAY_SECONDS = 5;
const MAX_RESOLUTIONS_PER_STATEMENT = 500;

export interface DeliveryWorkerOptions {
  databaseUrl: string;
  /** Deliveries in flight at most (this sidecar). */
  concurrency: number;
  /** Events claimed per statement at most. */
  batchSize: number;
  pollMs: number;
}

export interface DeliveryWorkerServices extends RecordReaderServices {
  db: Db;
  client: OutboundClient;
}

/** A resolution that sends nothing: the event goes back to pending, its claim uncounted. */
function released(event: ClaimedEvent, reason: string, delaySeconds = RELEASE_DELAY_SECONDS): EventResolution {
  return {
    eventId: event.id, webhookId: event.webhookId, claimedAttempts: event.attempts, state: 'pending',
    retryInSeconds: delaySeconds, uncounted: true, lastStatus: null, lastError: reason, attempt: null,
  };
}

function skipped(event: ClaimedEvent, reason: string): EventResolution {
  return {
    eventId: event.id, webhookId: event.webhookId, claimedAttempts: event.attempts, state: 'skipped',
    lastStatus: null, lastError: reason.slice(0, 255), attempt: null,
  };
}

export class WebhookDeliveryWorker {
  private listener: ConfigListener | null = null;
  private timer: NodeJS.Timeout | null = null;
  private claiming: Promise<void> | null = null;
  private again = false;
  private stopping = false;
  private inFlight = 0;
  private readonly batches = new Set<Promise<void>>();
  private readonly resolutions: Array<{ resolution: EventResolution; done: () => void }> = [];
  private writing: Promise<void> | null = null;
  /** Webhooks a 410 disabled during this process's life, until their next claim proves them active again. */
  private readonly gone = new Set<number>();

  constructor(
    private readonly services: DeliveryWorkerServices,
    private readonly options: DeliveryWorkerOptions,
  ) {}

  start(): void {
    this.listener = listenForConfigChanges(this.options.databaseUrl, () => this.wake(), this.services.log, 1_000, WEBHOOK_CHANNEL);
    this.timer = setInterval(() => this.wake(), this.options.pollMs);
    this.timer.unref();
    this.wake();
  }

  /** Claims now, or once more after the claim in progress. */
  wake(): void {
    if (this.stopping) return;
    if (this.claiming) {
      this.again = true;
      return;
    }
    this.claiming = this.claimWhileRoom()
      .catch((error: unknown) => this.services.log.warn('webhook claim failed; retrying at the next wake-up', { error: (error as Error).message }))
      .finally(() => {
        this.claiming = null;
      });
  }

  private async claimWhileRoom(): Promise<void> {
    do {
      this.again = false;
      const room = Math.min(this.options.concurrency - this.inFlight, this.options.batchSize);
      // a delivery that ends wakes the loop again; while busy, wait for room for a real batch
      // (one record read per batch: many one-event batches would cost one bridge call each)
      if (room <= 0 || (this.inFlight > 0 && room < this.minimumBatch())) return;
      const events = await claimWebhookEvents(this.services.db, room, LEASE_MARGIN_SECONDS);
      if (events.length === 0) continue;
      this.inFlight += events.length;
      const batch = this.deliverBatch(events);
      this.batches.add(batch);
      void batch.finally(() => this.batches.delete(batch));
      if (events.length === room) this.again = true; // there may be more
    } while (this.again && !this.stopping);
  }

  private minimumBatch(): number {
    return Math.max(1, Math.floor(Math.min(this.options.concurrency, this.options.batchSize) / 4));
  }

  /** Every claimed event ends in `finish` (which frees its slot), whatever fails on the way. */
  private async deliverBatch(events: ClaimedEvent[]): Promise<void> {
    let webhooks: Map<number, WebhookRow>;
    try {
      webhooks = new Map((await readWebhooks(this.services.db, [...new Set(events.map((e) => e.webhookId))])).map((w) => [w.id, w]));
    } catch (error) {
      this.services.log.warn('cannot read webhooks; their events are put back', { error: (error as Error).message });
      await Promise.all(events.map((event) => this.finish(released(event, 'the webhook could not be read'))));
      return;
    }
    const byWebhook = new Map<number, ClaimedEvent[]>();
    for (const event of events) byWebhook.set(event.webhookId, [...(byWebhook.get(event.webhookId) ?? []), event]);
    await Promise.all(
      [...byWebhook].map(([webhookId, group]) => {
        const webhook = webhooks.get(webhookId);
        if (!webhook) return Promise.all(group.map((event) => this.finish(released(event, 'the webhook has no secret or is gone'))));
        this.gone.delete(webhookId); // claimed again: it was reactivated
        return this.deliverGroup(webhook, group);
      }),
    );
  }

  /** One webhook's events of a batch: one read of their records, then one request each. */
  private async deliverGroup(webhook: WebhookRow, events: ClaimedEvent[]): Promise<void> {
    const toRead = events.filter((event) => event.event !== 'deleted').map((event) => event.resId);
    const read = toRead.length
      ? await readEventRecords(webhook, [...new Set(toRead)], this.services).catch((error: unknown): RecordReadResult => ({ kind: 'unavailable', reason: (error as Error).message }))
      : null;
    await Promise.all(
      events.map((event) => this.deliverOne(webhook, event, read).catch((error: unknown) => {
        this.services.log.error('webhook delivery failed unexpectedly', { event_id: event.id, error: (error as Error).message });
        return this.finish(released(event, 'internal error'));
      })),
    );
  }

  /** One event: skipped, put back, or sent and judged. */
  private async deliverOne(webhook: WebhookRow, event: ClaimedEvent, read: RecordReadResult | null): Promise<void> {
    if (read?.kind === 'unavailable' && event.event !== 'deleted') return this.finish(released(event, `Odoo unavailable: ${read.reason}`));
    if (read?.kind === 'unreadable' && event.event !== 'deleted') return this.finish(skipped(event, read.reason));
    const record = event.event === 'deleted' ? null : read?.kind === 'records' ? read.records.get(event.resId) : undefined;
    if (record === undefined) {
      return this.finish(skipped(event, "the record no longer exists, no longer matches the webhook's domain or is not readable by its user"));
    }
    if (this.gone.has(webhook.id)) return this.finish(released(event, `${GONE_REASON}: webhook disabled`, 0));
    const resolution = await deliverEvent(this.services.client, webhook, event, record);
    if (resolution.lastStatus === 410) {
      this.gone.add(webhook.id);
      await disableWebhook(this.services.db, webhook.id, GONE_REASON);
      this.services.log.warn('webhook disabled: the receiver answered 410 Gone', { webhook_id: webhook.id });
    }
    return this.finish(resolution);
  }

  /**
   * Queues a resolution; they are written together, one statement per
   * round, while the previous round is being written (no added delay when
   * idle, few statements under load).
   */
  private finish(resolution: EventResolution): Promise<void> {
    return new Promise((resolve) => {
      this.resolutions.push({ resolution, done: resolve });
      this.writing ??= this.writeResolutions().finally(() => {
        this.writing = null;
      });
    });
  }

  private async writeResolutions(): Promise<void> {
    while (this.resolutions.length > 0) {
      const round = this.resolutions.splice(0, MAX_RESOLUTIONS_PER_STATEMENT);
      try {
        await resolveWebhookEvents(this.services.db, round.map((queued) => queued.resolution));
      } catch (error) {
        this.services.log.error('cannot record webhook deliveries; their events wait for their lease', {
          event_ids: round.map((queued) => queued.resolution.eventId),
          error: (error as Error).message,
        });
      }
      this.inFlight -= round.length;
      for (const queued of round) queued.done();
      this.wake();
    }
  }

  /** Stops claiming and waits for the deliveries in flight (each bounded by its webhook's timeout). */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearInterval(this.timer);
    await this.listener?.close();
    await this.claiming;
    await Promise.allSettled([...this.batches]);
  }
}
