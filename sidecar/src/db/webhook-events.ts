/**
 * All SQL of webhook delivery (docs/data-model.md "Webhooks"): claiming due
 * outbox events (several sidecars, `FOR UPDATE SKIP LOCKED`, one event in
 * flight per webhook and record), reading the subscriptions with their
 * secrets, recording each attempt with the event's new state, disabling a
 * webhook whose receiver is gone, and the retention purge.
 */
import type { ClaimedEvent, WebhookEventKind, WebhookRow } from '../webhooks/types.js';
import { withTryLock, type Db } from './knex.js';

export const WEBHOOK_CHANNEL = 'rest_gateway_webhook';
export const WEBHOOK_RETENTION_PARAM = 'rest_gateway.webhook_retention_days';
/** Any constant unique to this job, as for the change purge. */
const PURGE_LOCK_KEY = 0x52475748; // "RGWH"
const NOW = `(now() AT TIME ZONE 'UTC')`;

interface EventRow {
  id: number;
  webhook_id: number;
  model: string;
  res_id: number;
  event: WebhookEventKind;
  changed_fields: string[] | null;
  created_at: Date;
  attempts: number;
}

/**
 * Claims up to `limit` due events: pending ones whose time has come and
 * delivering ones whose lease passed (their sender stopped), unless an
 * earlier event of the same webhook and record is still pending or
 * delivering (events of one record go out in commit order). The claim starts
 * from the active webhooks with a secret and takes, in id order, at most a
 * share of `limit` (divided evenly between them) from each, through the
 * partial index `(webhook_id, id)` of pending and delivering events: one
 * webhook's backlog neither delays the others nor, once the webhook is
 * inactive, costs any claim a scan. Each claimed event becomes `delivering`
 * with a lease of the webhook's timeout plus `leaseMarginSeconds`, and its
 * attempt is counted.
 */
export async function claimWebhookEvents(db: Db, limit: number, leaseMarginSeconds: number): Promise<ClaimedEvent[]> {
  const result = await db.raw<{ rows: EventRow[] }>(
    `WITH hooks AS (
          SELECT w.id, w.timeout
            FROM rest_gateway_webhook AS w
           WHERE w.active AND w.secret IS NOT NULL
     ), share AS (
          SELECT ceil(?::float8 / greatest(count(*), 1))::int AS per_webhook FROM hooks
     ), due AS (
          SELECT e.id, h.timeout
            FROM hooks AS h
           CROSS JOIN share
           CROSS JOIN LATERAL (
                SELECT e.id
                  FROM rest_gateway_webhook_event AS e
                 WHERE e.webhook_id = h.id
                   AND ((e.state = 'pending' AND e.next_attempt_at <= ${NOW})
                        OR (e.state = 'delivering' AND e.lease_until < ${NOW}))
                   AND NOT EXISTS (
                        SELECT 1 FROM rest_gateway_webhook_event AS p
                         WHERE p.webhook_id = e.webhook_id AND p.model = e.model AND p.res_id = e.res_id
                           AND p.id < e.id AND p.state IN ('pending', 'delivering'))
                 ORDER BY e.id
                 LIMIT share.per_webhook
                 FOR UPDATE SKIP LOCKED
           ) AS e
           LIMIT ?
     )
     UPDATE rest_gateway_webhook_event AS e
        SET state = 'delivering', attempts = e.attempts + 1,
            lease_until = ${NOW} + make_interval(secs => due.timeout + ?)
       FROM due
      WHERE e.id = due.id
      RETURNING e.id, e.webhook_id, e.model, e.res_id, e.event, e.changed_fields, e.created_at, e.attempts`,
    [limit, limit, leaseMarginSeconds],
  );
  return result.rows
    .map((row) => ({
      id: row.id,
      webhookId: row.webhook_id,
      model: row.model,
      resId: row.res_id,
      event: row.event,
      changedFields: row.changed_fields,
      createdAt: row.created_at,
      attempts: row.attempts,
    }))
    .sort((a, b) => a.id - b.id);
}

interface WebhookDbRow {
  id: number;
  name: string;
  active: boolean;
  url: string;
  model: string;
  user_id: number;
  key_id: number | null;
  domain_json: string | null;
  payload_fields: string[] | null;
  headers: string | null;
  max_attempts: number;
  retry_base_delay: number;
  retry_max_delay: number;
  timeout: number;
  allow_private: boolean | null;
  secret: string | null;
  previous_secret: string | null;
  previous_secret_expires_at: Date | null;
}

function parseHeaders(text: string | null): Record<string, string> {
  if (!text?.trim()) return {};
  try {
    const value: unknown = JSON.parse(text);
    if (!value || typeof value !== 'object' || Array.isArray(value)) return {};
    return Object.fromEntries(Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
  } catch {
    return {}; // the addon validates the JSON; an unreadable value sends no extra header
  }
}

/** The subscriptions with these ids, secrets included; webhooks without a secret are left out. */
export async function readWebhooks(db: Db, ids: readonly number[]): Promise<WebhookRow[]> {
  if (ids.length === 0) return [];
  const rows = await db('rest_gateway_webhook')
    .whereIn('id', ids)
    .whereNotNull('secret')
    .select<WebhookDbRow[]>(
      'id', 'name', 'active', 'url', 'model', 'user_id', 'key_id', 'domain_json', 'payload_fields', 'headers',
      'max_attempts', 'retry_base_delay', 'retry_max_delay', 'timeout', 'allow_private',
      'secret', 'previous_secret', 'previous_secret_expires_at',
    );
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    active: row.active,
    url: row.url,
    model: row.model,
    userId: row.user_id,
    keyId: row.key_id,
    domainJson: row.domain_json,
    payloadFields: Array.isArray(row.payload_fields) && row.payload_fields.length ? row.payload_fields : null,
    headers: parseHeaders(row.headers),
    maxAttempts: row.max_attempts,
    retryBaseDelay: row.retry_base_delay,
    retryMaxDelay: row.retry_max_delay,
    timeout: row.timeout,
    allowPrivate: Boolean(row.allow_private),
    secret: row.secret as string,
    previousSecret: row.previous_secret,
    previousSecretExpiresAt: row.previous_secret_expires_at,
  }));
}

/** One HTTP attempt as `rest_gateway_webhook_attempt` stores it. */
export interface AttemptRecord {
  attemptedAt: Date;
  status: number | null;
  durationMs: number;
  responseExcerpt: string | null;
  error: string | null;
}

/** What becomes of a claimed event. */
export interface EventResolution {
  eventId: number;
  webhookId: number;
  /** The `attempts` the claim set: a resolution only applies to the claim it belongs to. */
  claimedAttempts: number;
  state: 'delivered' | 'pending' | 'dead' | 'skipped';
  /** `pending`: seconds until the next attempt. */
  retryInSeconds?: number;
  /** The attempt did not count (nothing was sent): the claim's increment is undone. */
  uncounted?: boolean;
  lastStatus: number | null;
  lastError: string | null;
  attempt: AttemptRecord | null;
}

/**
 * Applies many resolutions in one statement (the batch is one `jsonb`
 * parameter); each still only applies to its own claim.
 */
export async function resolveWebhookEvents(db: Db, resolutions: readonly EventResolution[]): Promise<void> {
  if (resolutions.length === 0) return;
  const rows = resolutions.map((r) => ({
    event_id: r.eventId,
    webhook_id: r.webhookId,
    claimed: r.claimedAttempts,
    state: r.state,
    retry: r.retryInSeconds ?? null,
    uncounted: r.uncounted ? 1 : 0,
    last_status: r.lastStatus,
    last_error: r.lastError?.slice(0, 255) ?? null,
    has_attempt: r.attempt !== null,
    attempted_at: r.attempt ? utcNaive(r.attempt.attemptedAt) : null,
    status: r.attempt?.status ?? null,
    duration_ms: r.attempt?.durationMs ?? null,
    excerpt: r.attempt?.responseExcerpt ?? null,
    error: r.attempt?.error?.slice(0, 255) ?? null,
  }));
  await db.raw(
    `WITH input AS (
          SELECT * FROM jsonb_to_recordset(?::jsonb) AS r(
                 event_id int, webhook_id int, claimed int, state text, retry float8, uncounted int,
                 last_status int, last_error text, has_attempt bool, attempted_at timestamp,
                 status int, duration_ms float8, excerpt text, error text)
     ), resolved AS (
          UPDATE rest_gateway_webhook_event AS e
             SET state = i.state,
                 attempts = e.attempts - i.uncounted,
                 next_attempt_at = CASE WHEN i.retry IS NULL THEN e.next_attempt_at ELSE ${NOW} + make_interval(secs => i.retry) END,
                 lease_until = NULL,
                 delivered_at = CASE WHEN i.state = 'delivered' THEN ${NOW} ELSE e.delivered_at END,
                 last_status = i.last_status, last_error = i.last_error
            FROM input AS i
           WHERE e.id = i.event_id AND e.state = 'delivering' AND e.attempts = i.claimed
     )
     INSERT INTO rest_gateway_webhook_attempt (event_id, webhook_id, attempted_at, status, duration_ms, response_excerpt, error)
     SELECT event_id, webhook_id, attempted_at, status, duration_ms, excerpt, error FROM input WHERE has_attempt ORDER BY event_id`,
    [JSON.stringify(rows)],
  );
}

/** Records a test delivery's attempt (no event). */
export async function insertTestAttempt(db: Db, webhookId: number, attempt: AttemptRecord): Promise<void> {
  await db('rest_gateway_webhook_attempt').insert({
    event_id: null,
    webhook_id: webhookId,
    attempted_at: utcNaive(attempt.attemptedAt),
    status: attempt.status,
    duration_ms: attempt.durationMs,
    response_excerpt: attempt.responseExcerpt,
    error: attempt.error?.slice(0, 255) ?? null,
  });
}

/** Stops a webhook whose receiver answered 410 Gone; its events stay pending until it is reactivated. */
export async function disableWebhook(db: Db, webhookId: number, reason: string): Promise<void> {
  await db('rest_gateway_webhook').where({ id: webhookId, active: true }).update({ active: false, disabled_reason: reason.slice(0, 255) });
}

/** Odoo's naive UTC timestamp text for a Date. */
function utcNaive(at: Date): string {
  return at.toISOString().replace('T', ' ').replace('Z', '');
}

/** The retention in days the admin set, or null when unset or unreadable. */
export async function readWebhookRetentionDays(db: Db): Promise<number | null> {
  const row = await db('ir_config_parameter').where({ key: WEBHOOK_RETENTION_PARAM }).first<{ value: string | null } | undefined>('value');
  const days = Number(row?.value);
  return Number.isInteger(days) && days >= 1 ? days : null;
}

/**
 * Deletes up to `chunkSize` finished events (delivered, skipped, dead) older
 * than `olderThanSeconds`, their attempts with them (cascade), and as many
 * old test attempts; answers the events deleted, or null when another
 * sidecar holds the purge lock.
 */
export async function purgeWebhookEventChunk(db: Db, olderThanSeconds: number, chunkSize: number): Promise<number | null> {
  return withTryLock(db, PURGE_LOCK_KEY, async (trx) => {
    const cutoff = `${NOW} - make_interval(secs => ?)`;
    const result = await trx.raw<{ rows: Array<{ deleted: number }> }>(
      `WITH old AS (
            SELECT id FROM rest_gateway_webhook_event
             WHERE created_at < ${cutoff} AND state IN ('delivered', 'skipped', 'dead')
             ORDER BY created_at
             LIMIT ?
       ), purged AS (
            DELETE FROM rest_gateway_webhook_event AS e USING old WHERE e.id = old.id RETURNING e.id
       ), tests AS (
            DELETE FROM rest_gateway_webhook_attempt
             WHERE id IN (SELECT id FROM rest_gateway_webhook_attempt
                           WHERE event_id IS NULL AND attempted_at < ${cutoff} LIMIT ?)
       )
       SELECT count(*)::int AS deleted FROM purged`,
      [olderThanSeconds, chunkSize, olderThanSeconds, chunkSize],
    );
    return result.rows[0]?.deleted ?? 0;
  });
}
