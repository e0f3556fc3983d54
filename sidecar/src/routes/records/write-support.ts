/**
 * What the write routes share: reading the JSON body (415 unless JSON),
 * the fields answered after a write, running a write plan in one atomic
 * bridge call, and the record answered.
 */
import { ApiError, errors } from '../../errors.js';
import { modelResolver, requirePrincipal, runOperations } from '../../http/request-services.js';
import type { ApiContext, Services } from '../../http/types.js';
import { BridgeError } from '../../odoo/bridge-types.js';
import { compileWriteValues } from '../../payload/write-values.js';
import type { WriteMode } from '../../payload/types.js';
import type { ModelContext, ModelFields } from '../../policy/types.js';
import { compileWrite, relatedCheckError, writtenIds, writtenRows, type WritePlan } from '../../query/compile-write.js';
import { parseFields } from '../../query/fields.js';
import { parseRecordId, type RawQuery } from '../../query/params.js';
import { flatShape, toApiRecord, type ValueOptions } from '../../values/record-values.js';
import { parseValueOptions } from './value-options.js';

/** The parsed JSON body; undefined when the request has none. Not JSON: 415. */
export function jsonBody(ctx: ApiContext, required: boolean): unknown {
  const hasBody = (ctx.request.length ?? 0) > 0 || ctx.get('Transfer-Encoding') !== '';
  const body: unknown = ctx.request.body;
  if (hasBody && body === undefined) {
    // koa-body parses JSON types only; anything else was left unread
    throw new ApiError(415, 'unsupported_media_type', 'The request body must be JSON (Content-Type: application/json).');
  }
  if (!hasBody && required) throw errors.badRequest('invalid_body', 'This request needs a JSON body.');
  return hasBody ? body : undefined;
}

/**
 * Fields answered after a write: `fields=` or the default read set, as for
 * reads. null when the credential may not read the model: the answer is
 * then only the id (docs/decisions.md D13).
 */
export function readBackFields(query: RawQuery, context: ModelContext): string[] | null {
  return context.grant.operations.read ? parseFields(query, context) : null;
}

/** A model's fields for the caller without an operation check (DELETE picks its operation from them). */
export async function modelFields(ctx: ApiContext, services: Services, model: string): Promise<ModelFields> {
  const principal = requirePrincipal(ctx);
  if (!principal.grants.has(model)) throw errors.notFound('model_not_found', `No model named "${model}" is available.`);
  const started = performance.now();
  const fields = await services.fieldMetadata.get(principal.user.id, model);
  ctx.state.odooMs += performance.now() - started;
  if (!fields) throw errors.notFound('model_not_found', `No model named "${model}" is available.`);
  return fields;
}

/** Runs the plan on the read/write route, atomically; related-check failures get their own answer. */
export async function runWritePlan(ctx: ApiContext, services: Services, plan: WritePlan): Promise<unknown[]> {
  try {
    return await runOperations(ctx, services, plan.operations, { readonly: false });
  } catch (error) {
    const mapped = error instanceof BridgeError ? relatedCheckError(plan, error.operation, error.kind) : null;
    throw mapped ?? error;
  }
}

export interface WrittenRecord {
  id: number;
  data: Record<string, unknown>;
}

export function writtenRecord(context: ModelContext, plan: WritePlan, results: unknown[], values: ValueOptions, fallbackId?: number): WrittenRecord {
  const row = writtenRows(plan, results)[0];
  const id = writtenIds(plan, results)[0] ?? fallbackId ?? 0;
  return { id, data: row ? toApiRecord(row, flatShape(context.fields), values) : { id } };
}

/** PATCH (update) and PUT (replace) of one record. */
export async function handleUpdate(ctx: ApiContext, services: Services, mode: Extract<WriteMode, 'update' | 'replace'>): Promise<void> {
  const query = ctx.query as RawQuery;
  const resolve = modelResolver(ctx, services);
  const context = await resolve(ctx.params.model as string, 'update');
  const id = parseRecordId(ctx.params.id as string);
  const readFields = readBackFields(query, context);
  const values = parseValueOptions(query);
  const payload = await compileWriteValues(jsonBody(ctx, true), context, mode, resolve);
  const plan = compileWrite(context, { kind: 'write', id, values: payload.values }, readFields, payload.checks);
  ctx.body = { data: writtenRecord(context, plan, await runWritePlan(ctx, services, plan), values, id).data };
}

/** POST /{model}/{id}/archive and /restore. */
export async function handleActive(ctx: ApiContext, services: Services, kind: 'archive' | 'restore'): Promise<void> {
  const query = ctx.query as RawQuery;
  const context = await modelResolver(ctx, services)(ctx.params.model as string, kind);
  const id = parseRecordId(ctx.params.id as string);
  if (!context.fields.has('active')) {
    throw errors.badRequest('no_active_field', `${context.grant.model} has no "active" field: its records cannot be archived or restored.`);
  }
  const readFields = readBackFields(query, context);
  const values = parseValueOptions(query);
  const plan = compileWrite(context, { kind, id }, readFields);
  ctx.body = { data: writtenRecord(context, plan, await runWritePlan(ctx, services, plan), values, id).data };
}
