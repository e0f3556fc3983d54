/**
 * Reads the records of a batch of events for one webhook, as the webhook's
 * user, in one bridge call: the ids AND the webhook's domain AND the grant's
 * domains (the exposed model's, and the key's scope when an API key created
 * the webhook), with the payload fields narrowed by the grant's field rules.
 * Values are shaped as the REST API shapes them (values/record-values.ts).
 */
import { parseDomain } from '../config/compile-grants.js';
import type { GatewayConfigCache } from '../config/gateway-config-cache.js';
import type { BridgeClient } from '../odoo/bridge-client.js';
import { BridgeError, BridgeUnavailableError } from '../odoo/bridge-types.js';
import type { FieldMetadataCache } from '../odoo/field-metadata.js';
import type { Logger } from '../observability/logger.js';
import { isFieldAllowed } from '../policy/authorize.js';
import { effectiveGrant } from '../policy/effective-rules.js';
import type { ModelGrant } from '../policy/types.js';
import { andDomains } from '../query/domain.js';
import { defaultFields } from '../query/fields.js';
import { flatShape, toApiRecord } from '../values/record-values.js';
import type { WebhookRow } from './types.js';

/** Odoo failures that say nothing about the record: the events wait and are read again. */
const RETRIED_KINDS: ReadonlySet<string> = new Set(['concurrency', 'signature', 'internal']);

export interface RecordReaderServices {
  bridge: BridgeClient;
  fieldMetadata: FieldMetadataCache;
  config: GatewayConfigCache;
  log: Logger;
}

/** The records found, by id; or why none can be read (every event is skipped); or Odoo is away (retry later). */
export type RecordReadResult =
  | { kind: 'records'; records: Map<number, Record<string, unknown>> }
  | { kind: 'unreadable'; reason: string }
  | { kind: 'unavailable'; reason: string };

/**
 * The grant bounding the payload, and the other grants of the same
 * credential (their blocklists reach through related fields, D-S3): the
 * creating key's, or the exposed models' for a backend webhook.
 */
export function webhookGrant(webhook: WebhookRow, config: GatewayConfigCache): { grant: ModelGrant; grants: ReadonlyMap<string, ModelGrant> } | string {
  const compiled = config.config;
  if (webhook.keyId === null) {
    const grant = compiled.userGrants.get(webhook.model);
    return grant ? { grant, grants: compiled.userGrants } : `${webhook.model} is not exposed`;
  }
  const key = compiled.keysById.get(webhook.keyId);
  if (!key) return 'the API key that created the webhook is no longer active';
  const grant = key.grants.get(webhook.model);
  if (!grant?.operations.read) return `the webhook's API key may no longer read ${webhook.model}`;
  return { grant, grants: key.grants };
}

export async function readEventRecords(webhook: WebhookRow, ids: readonly number[], services: RecordReaderServices): Promise<RecordReadResult> {
  const scope = webhookGrant(webhook, services.config);
  if (typeof scope === 'string') return { kind: 'unreadable', reason: scope };
  const domain = parseDomain(webhook.domainJson, services.log, `rest.gateway.webhook ${webhook.id}`);
  if (domain === null) return { kind: 'unreadable', reason: "the webhook's domain is unreadable" };
  try {
    const fields = await services.fieldMetadata.get(webhook.userId, webhook.model);
    if (!fields) return { kind: 'unreadable', reason: `${webhook.model} does not exist for the webhook's user` };
    // computed copies of a blocked field are blocked too (D-S3)
    const grant = effectiveGrant(scope.grant, fields, scope.grants);
    const wanted = webhook.payloadFields ?? defaultFields({ grant, fields });
    const names = ['id', ...wanted.filter((name) => name !== 'id' && fields.has(name) && isFieldAllowed(grant.fields, name))];
    const { results } = await services.bridge.run({
      uid: webhook.userId,
      // an archived record is still the record: its archiving is an update like another
      context: { active_test: false },
      readonly: true,
      operations: [{
        model: webhook.model,
        method: 'search_read',
        kwargs: { domain: andDomains([['id', 'in', [...ids]]], domain, ...grant.domains), fields: names },
      }],
    });
    const shape = flatShape(fields);
    const records = new Map<number, Record<string, unknown>>();
    for (const raw of (results[0] ?? []) as Array<Record<string, unknown>>) {
      records.set(Number(raw.id), toApiRecord(raw, shape, { binary: 'base64' }));
    }
    return { kind: 'records', records };
  } catch (error) {
    if (error instanceof BridgeError && !RETRIED_KINDS.has(error.kind)) return { kind: 'unreadable', reason: `not readable: ${error.message}` };
    if (error instanceof BridgeUnavailableError || error instanceof BridgeError) return { kind: 'unavailable', reason: error.message };
    throw error;
  }
}
