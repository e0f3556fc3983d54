/**
 * The webhook delivery's data: a subscription as the delivery reads it, a
 * claimed outbox event, and the outcome of one HTTP attempt. Rows come from
 * db/webhook-events.ts (docs/data-model.md "Webhooks").
 */
import type { SigningSecrets } from './signer.js';

export type WebhookEventKind = 'created' | 'updated' | 'deleted' | 'restored';

export interface WebhookRow extends SigningSecrets {
  id: number;
  name: string;
  active: boolean;
  url: string;
  model: string;
  userId: number;
  keyId: number | null;
  domainJson: string | null;
  /** Payload fields; null: the model's default fields. */
  payloadFields: string[] | null;
  /** Extra request headers (validated by the addon). */
  headers: Record<string, string>;
  maxAttempts: number;
  retryBaseDelay: number;
  retryMaxDelay: number;
  /** Seconds. */
  timeout: number;
  allowPrivate: boolean;
}

export interface ClaimedEvent {
  id: number;
  webhookId: number;
  model: string;
  resId: number;
  event: WebhookEventKind;
  changedFields: string[] | null;
  createdAt: Date;
  /** Including the attempt being made. */
  attempts: number;
}

/** What one HTTP attempt gave. */
export interface AttemptOutcome {
  /** The receiver's status; null when there was no answer. */
  status: number | null;
  durationMs: number;
  /** First 1,024 characters of the answer's body. */
  responseExcerpt: string | null;
  error: string | null;
  /** Seconds, from the answer's Retry-After. */
  retryAfterSeconds: number | null;
}
