/**
 * Write requests → one atomic bridge call: the ORM method guarded by the
 * caller's scope domains (before and after, docs/bridge-protocol.md
 * "guard"), read back in the same call, preceded and followed by the scope
 * checks of related records the payload names.
 */
import { errors, type ApiError } from '../errors.js';
import type { Domain, ModelContext } from '../policy/types.js';
import type { RelatedCheck } from '../payload/types.js';
import type { CompiledOperation } from './compile-read.js';
import { scopedDomain } from './compile-read.js';

/** A bridge operation with the write extensions (structural twin of odoo/ BridgeOperation). */
export interface WriteOperation extends CompiledOperation {
  guard?: Domain;
  read?: { fields: string[] };
  /** Non-atomic calls: the operations of one plan share a savepoint. */
  group?: number;
}

/** What an upsert is keyed by (docs/decisions.md D-B2). */
export type UpsertKey = { externalId: string } | { match: Record<string, unknown> };

export type WriteAction =
  | { kind: 'create'; values: Record<string, unknown> }
  | { kind: 'write'; id: number; values: Record<string, unknown> }
  | { kind: 'copy'; id: number; values: Record<string, unknown> }
  | { kind: 'unlink' | 'archive' | 'restore'; id: number }
  | { kind: 'upsert'; key: UpsertKey; values: Record<string, unknown> };

export interface WritePlan {
  operations: WriteOperation[];
  /** Index of the write itself among the operations. */
  main: number;
  /** The related-record check each other operation runs, by index. */
  checks: ReadonlyMap<number, RelatedCheck>;
}

const METHODS = { create: 'create', write: 'write', copy: 'copy', unlink: 'unlink', archive: 'action_archive', restore: 'action_unarchive' } as const;

/**
 * The addon's `rest_gateway_upsert` checks the scope itself (before it
 * updates an existing record, and after) and reads back: the bridge's
 * `guard`/`read` only know the ids given, which an upsert does not have.
 */
function upsertOperation(context: ModelContext, key: UpsertKey, values: Record<string, unknown>, readFields: string[] | null): WriteOperation {
  const kwargs: Record<string, unknown> = { values, scope: scopedDomain(context, []) };
  if ('externalId' in key) kwargs.external_id = key.externalId;
  else kwargs.match = key.match;
  if (readFields) kwargs.fields = readFields;
  return { model: context.grant.model, method: 'rest_gateway_upsert', kwargs };
}

function mainOperation(context: ModelContext, action: WriteAction, readFields: string[] | null): WriteOperation {
  if (action.kind === 'upsert') return upsertOperation(context, action.key, action.values, readFields);
  const operation: WriteOperation = {
    model: context.grant.model,
    method: METHODS[action.kind],
    // Always guarded, even by an empty domain: a record hidden by Odoo's
    // record rules is then a 404 like one outside the scope (D5).
    guard: scopedDomain(context, []),
  };
  if (action.kind !== 'create') operation.ids = [action.id];
  if (action.kind === 'create') operation.args = [action.values];
  if (action.kind === 'write') operation.args = [action.values];
  if (action.kind === 'copy') operation.kwargs = { default: action.values };
  if (readFields && action.kind !== 'unlink') operation.read = { fields: readFields };
  return operation;
}

/** `read` with a guard: fails (kind missing) unless every id matches the domain. */
function checkOperation(check: RelatedCheck): WriteOperation {
  return { model: check.model, method: 'read', ids: [...new Set(check.ids)], args: [['id']], guard: check.domain };
}

/** `readFields`: the fields to answer, or null when the caller may not read the model. */
export function compileWrite(context: ModelContext, action: WriteAction, readFields: string[] | null, related: RelatedCheck[] = []): WritePlan {
  const before = related.filter((c) => c.phase === 'before');
  const after = related.filter((c) => c.phase === 'after');
  const operations = [...before.map(checkOperation), mainOperation(context, action, readFields), ...after.map(checkOperation)];
  const checks = new Map<number, RelatedCheck>();
  before.forEach((check, i) => checks.set(i, check));
  after.forEach((check, i) => checks.set(before.length + 1 + i, check));
  return { operations, main: before.length, checks };
}

/**
 * The client's error when a related-record check failed (Odoo answered
 * kind `missing` for operation `index`); null when `index` is not a check.
 */
export function relatedCheckError(plan: WritePlan, index: number | null, kind: string): ApiError | null {
  const check = index === null ? undefined : plan.checks.get(index);
  if (!check || kind !== 'missing') return null;
  const errorsList = [{ field: check.field, message: `${check.model} ${check.ids.join(', ')}: not found or outside this credential's scope` }];
  if (check.phase === 'before') {
    return errors.unprocessable('related_record_not_found', `${check.field} names ${check.model} records that do not exist or are not visible to this credential.`, { errors: errorsList });
  }
  return errors.forbidden('forbidden', `The write would put ${check.model} records named in ${check.field} outside the credential's scope.`, { errors: errorsList });
}

export interface UpsertOutcome {
  id: number;
  created: boolean;
  row: Record<string, unknown> | null;
}

/** What `rest_gateway_upsert` answered: `{"id", "created", "record"}`. */
export function upsertOutcome(plan: WritePlan, results: unknown[]): UpsertOutcome {
  const result = (results[plan.main] ?? {}) as { id?: unknown; created?: unknown; record?: unknown };
  const row = typeof result.record === 'object' && result.record !== null ? (result.record as Record<string, unknown>) : null;
  return { id: Number(result.id), created: result.created === true, row };
}

/** The answered rows of the main operation (its `read`), empty when it read nothing. */
export function writtenRows(plan: WritePlan, results: unknown[]): Array<Record<string, unknown>> {
  const rows = results[plan.main];
  return Array.isArray(rows) ? rows.filter((row): row is Record<string, unknown> => typeof row === 'object' && row !== null) : [];
}

/** Ids the main operation produced: from its rows, or the ids create/copy return without `read`. */
export function writtenIds(plan: WritePlan, results: unknown[]): number[] {
  const result = results[plan.main];
  if (!Array.isArray(result)) return [];
  return result.map((item) => (typeof item === 'number' ? item : Number((item as { id?: unknown }).id)));
}
