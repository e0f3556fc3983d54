/**
 * Batch operations → write plans, each compiled exactly as the same single
 * request would be (grants, field rules, payload, guard, read-back). All
 * operations are checked before anything runs (docs/decisions.md D-B1):
 * in an atomic batch any refusal refuses the whole batch, naming every
 * failing operation; in a partial one it refuses that operation alone.
 */
import { ApiError, errors, type FieldProblem } from '../../../errors.js';
import { InvalidValue } from '../../../payload/issues.js';
import { toOdooScalar } from '../../../payload/scalar-values.js';
import { compileWriteValues } from '../../../payload/write-values.js';
import { isFieldAllowed } from '../../../policy/authorize.js';
import type { ModelContext, ModelContextResolver, ModelFields } from '../../../policy/types.js';
import { compileWrite, type UpsertKey, type WriteAction, type WritePlan } from '../../../query/compile-write.js';
import type { BatchOperation, BatchRef, BatchRefusal } from './parse-batch.js';

export type StepKind = WriteAction['kind'];

export interface BatchStep {
  operation: BatchOperation;
  context: ModelContext;
  plan: WritePlan;
  kind: StepKind;
}

export interface BatchCompiler {
  model: string;
  resolve: ModelContextResolver;
  /** The model's fields without an operation check (delete picks archive or unlink from them). */
  fields(): Promise<ModelFields>;
  /** Fields read back after a write; null when the caller may not read the model. */
  readFields(context: ModelContext): string[] | null;
}

/** `{"field": value}` → the Odoo value, for a field the caller may see. */
function matchKey(context: ModelContext, match: Record<string, unknown>): UpsertKey {
  const [[field, raw]] = Object.entries(match) as [[string, unknown]];
  const meta = context.fields.get(field);
  const problem = (message: string, code: FieldProblem['code']) => ({ errors: [{ field: `match.${field}`, message, code }] });
  if (!meta) throw errors.badRequest('unknown_field', `match: unknown field ${field} of ${context.grant.model}.`, problem('unknown field', 'unknown_field'));
  if (!isFieldAllowed(context.grant.fields, field)) {
    throw errors.forbidden('field_not_allowed', `match: ${field} is not available to this credential.`, problem('not available to this credential', 'field_not_allowed'));
  }
  try {
    return { match: { [field]: toOdooScalar(meta, raw) } };
  } catch (error) {
    if (!(error instanceof InvalidValue)) throw error;
    throw errors.badRequest(error.code, `match.${field}: ${error.message}.`, problem(error.message, error.code));
  }
}

async function upsertStep(compiler: BatchCompiler, operation: BatchOperation): Promise<BatchStep> {
  const context = await compiler.resolve(compiler.model, 'create');
  if (!context.grant.operations.update) {
    throw errors.forbidden('operation_not_allowed', `Upsert needs the "update" operation too, not allowed on ${compiler.model} for this credential.`);
  }
  const key: UpsertKey = operation.externalId !== undefined ? { externalId: operation.externalId } : matchKey(context, operation.match ?? {});
  const payload = await compileWriteValues(operation.values, context, 'create', compiler.resolve);
  const plan = compileWrite(context, { kind: 'upsert', key, values: payload.values }, compiler.readFields(context), payload.checks);
  return { operation, context, plan, kind: 'upsert' };
}

async function idStep(compiler: BatchCompiler, operation: BatchOperation): Promise<BatchStep> {
  const id = operation.id as number;
  if (operation.op === 'update') {
    const context = await compiler.resolve(compiler.model, 'update');
    const payload = await compileWriteValues(operation.values, context, 'update', compiler.resolve);
    const plan = compileWrite(context, { kind: 'write', id, values: payload.values }, compiler.readFields(context), payload.checks);
    return { operation, context, plan, kind: 'write' };
  }
  const hasActive = (await compiler.fields()).has('active');
  // as DELETE /{model}/{id}: archives when the model has `active`, unless forced
  const kind = operation.op === 'delete' ? (hasActive && !operation.force ? 'archive' : 'unlink') : operation.op === 'archive' ? 'archive' : 'restore';
  const context = await compiler.resolve(compiler.model, kind === 'unlink' ? 'delete' : kind);
  if (kind !== 'unlink' && !hasActive) {
    throw errors.badRequest('no_active_field', `${compiler.model} has no "active" field: its records cannot be archived or restored.`);
  }
  const plan = compileWrite(context, { kind, id }, kind === 'unlink' ? null : compiler.readFields(context));
  return { operation, context, plan, kind };
}

async function compileStep(compiler: BatchCompiler, operation: BatchOperation): Promise<BatchStep> {
  if (operation.op === 'upsert') return upsertStep(compiler, operation);
  if (operation.op !== 'create') return idStep(compiler, operation);
  const context = await compiler.resolve(compiler.model, 'create');
  const payload = await compileWriteValues(operation.values, context, 'create', compiler.resolve);
  const plan = compileWrite(context, { kind: 'create', values: payload.values }, compiler.readFields(context), payload.checks);
  return { operation, context, plan, kind: 'create' };
}

/** The problems of one refused operation, their fields prefixed with its path. */
function operationProblems(error: ApiError, operation: BatchOperation): FieldProblem[] {
  const path = `operations[${operation.index}]`;
  const prefix = operation.op === 'upsert' && error.errors.some((e) => e.field.startsWith('match.')) ? path : `${path}.values`;
  if (error.errors.length === 0) return [{ field: path, message: error.detail, code: error.code }];
  return error.errors.map((e) => ({ field: e.field.startsWith('match.') ? `${path}.${e.field}` : `${prefix}.${e.field}`, message: e.message, code: e.code ?? error.code }));
}

/** The problem of a failing operation: its own, naming it, with its `ref`. */
export function operationError(error: ApiError, index: number, ref: BatchRef, problems?: FieldProblem[]): ApiError {
  return new ApiError(error.status, error.code, `operations[${index}]${ref === null ? '' : ` (ref ${String(ref)})`}: ${error.detail}`, {
    errors: problems ?? error.errors,
    headers: error.headers,
    extensions: { operation: index, ref },
    // the operation's own problem: a single upsert answers it unwrapped
    cause: error,
  });
}

/** Every operation compiled, or its refusal (the error as its own problem, naming it). */
async function compileEach(compiler: BatchCompiler, operations: BatchOperation[]): Promise<Array<BatchStep | { operation: BatchOperation; error: ApiError }>> {
  const compiled: Array<BatchStep | { operation: BatchOperation; error: ApiError }> = [];
  for (const operation of operations) {
    try {
      compiled.push(await compileStep(compiler, operation));
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      compiled.push({ operation, error });
    }
  }
  return compiled;
}

/** Atomic: any refusal refuses the whole batch, naming every failing operation. */
export async function compileBatch(compiler: BatchCompiler, operations: BatchOperation[]): Promise<BatchStep[]> {
  const compiled = await compileEach(compiler, operations);
  const failed = compiled.filter((entry): entry is { operation: BatchOperation; error: ApiError } => 'error' in entry);
  const first = failed[0];
  if (first) {
    const problems = failed.flatMap((entry) => operationProblems(entry.error, entry.operation));
    throw operationError(first.error, first.operation.index, first.operation.ref, problems);
  }
  return compiled as BatchStep[];
}

/** Partial: the operations that compile, and a refusal for each one that does not (D-S2). */
export async function compileBatchPartial(compiler: BatchCompiler, operations: BatchOperation[]): Promise<{ steps: BatchStep[]; refused: BatchRefusal[] }> {
  const steps: BatchStep[] = [];
  const refused: BatchRefusal[] = [];
  for (const entry of await compileEach(compiler, operations)) {
    if (!('error' in entry)) {
      steps.push(entry);
      continue;
    }
    const { operation, error } = entry;
    refused.push({ index: operation.index, ref: operation.ref, error: operationError(error, operation.index, operation.ref, operationProblems(error, operation)) });
  }
  return { steps, refused };
}
