/**
 * The batch body's shape (docs/api-conventions.md "Batch"): the envelope
 * (an object, a non-empty `operations` list within the model's size) or the
 * whole request is refused; then every operation checked for its keys and
 * their types. Atomic: every problem answered together (400
 * `invalid_operation`). Partial: a malformed operation is refused alone
 * (D-S2), the others run.
 */
import { ApiError, errors, type FieldProblem } from '../../../errors.js';
import { isPlainObject } from '../../../payload/x2many.js';

export const BATCH_OPS = ['create', 'update', 'delete', 'archive', 'restore', 'upsert'] as const;
export type BatchOp = (typeof BATCH_OPS)[number];

export type BatchRef = string | number | null;

export interface BatchOperation {
  index: number;
  op: BatchOp;
  ref: BatchRef;
  id?: number;
  externalId?: string;
  match?: Record<string, unknown>;
  values?: Record<string, unknown>;
  /** delete: delete even when the model has `active` (as `DELETE ?force=true`). */
  force?: boolean;
}

/** An operation refused before anything ran (partial batches): its answer is this error. */
export interface BatchRefusal {
  index: number;
  ref: BatchRef;
  error: ApiError;
}

export interface BatchInput {
  atomic: boolean;
  /** The well-formed operations, in order. */
  operations: BatchOperation[];
  /** Partial batches: the malformed operations, each answered alone. Always empty when atomic. */
  refused: BatchRefusal[];
}

const KEYS: Record<BatchOp, ReadonlySet<string>> = {
  create: new Set(['values']),
  update: new Set(['id', 'values']),
  delete: new Set(['id', 'force']),
  archive: new Set(['id']),
  restore: new Set(['id']),
  upsert: new Set(['external_id', 'match', 'values']),
};
const REQUIRED: Record<BatchOp, readonly string[]> = {
  create: ['values'],
  update: ['id', 'values'],
  delete: ['id'],
  archive: ['id'],
  restore: ['id'],
  upsert: ['values'],
};
const MAX_REF_LENGTH = 255;
const MAX_ID = 2_147_483_647;

function isBatchOp(value: unknown): value is BatchOp {
  return typeof value === 'string' && (BATCH_OPS as readonly string[]).includes(value);
}

function parseRef(raw: unknown, path: string, problems: FieldProblem[]): BatchRef {
  if (raw === undefined || raw === null) return null;
  if ((typeof raw === 'string' && raw.length > 0 && raw.length <= MAX_REF_LENGTH) || (Number.isSafeInteger(raw) && typeof raw === 'number')) return raw;
  problems.push({ field: `${path}.ref`, message: `must be a string of 1 to ${MAX_REF_LENGTH} characters or an integer`, code: 'invalid_operation' });
  return null;
}

/** Type checks of the keys an op takes; pushes a problem per bad key. */
function checkKeys(raw: Record<string, unknown>, op: BatchOp, path: string, problems: FieldProblem[]): void {
  const problem = (key: string, message: string) => problems.push({ field: `${path}.${key}`, message, code: 'invalid_operation' });
  for (const key of Object.keys(raw)) {
    if (key !== 'op' && key !== 'ref' && !KEYS[op].has(key)) problem(key, `not a key of a "${op}" operation`);
  }
  for (const key of REQUIRED[op]) if (raw[key] === undefined) problem(key, `required by a "${op}" operation`);
  const id = raw.id;
  if (id !== undefined && !(Number.isInteger(id) && (id as number) > 0 && (id as number) <= MAX_ID)) problem('id', 'must be a positive integer');
  if (raw.values !== undefined && !isPlainObject(raw.values)) problem('values', 'must be an object of field values');
  if (raw.force !== undefined && typeof raw.force !== 'boolean') problem('force', 'must be a boolean');
  if (op !== 'upsert') return;
  const hasExternalId = raw.external_id !== undefined;
  if (hasExternalId === (raw.match !== undefined)) problem('external_id', 'an upsert needs either external_id or match');
  if (hasExternalId && !isExternalId(raw.external_id)) problem('external_id', 'must be module.name (letters, digits, _ . -), at most 255 characters');
  if (raw.match !== undefined && !(isPlainObject(raw.match) && Object.keys(raw.match).length === 1)) problem('match', 'must be an object with exactly one field');
}

export function isExternalId(value: unknown): value is string {
  return typeof value === 'string' && value.length <= 255 && /^[A-Za-z0-9_]+(\.[A-Za-z0-9_.-]+)?$/.test(value);
}

function parseOperation(raw: unknown, index: number, problems: FieldProblem[]): BatchOperation | null {
  const path = `operations[${index}]`;
  if (!isPlainObject(raw)) {
    problems.push({ field: path, message: 'must be an object', code: 'invalid_operation' });
    return null;
  }
  const ref = parseRef(raw.ref, path, problems);
  if (!isBatchOp(raw.op)) {
    problems.push({ field: `${path}.op`, message: `must be one of ${BATCH_OPS.join(', ')}`, code: 'invalid_operation' });
    return null;
  }
  const before = problems.length;
  checkKeys(raw, raw.op, path, problems);
  if (problems.length > before) return null;
  const operation: BatchOperation = { index, op: raw.op, ref };
  if (raw.id !== undefined) operation.id = raw.id as number;
  if (raw.values !== undefined) operation.values = raw.values as Record<string, unknown>;
  if (raw.external_id !== undefined) operation.externalId = raw.external_id as string;
  if (raw.match !== undefined) operation.match = raw.match as Record<string, unknown>;
  if (raw.force !== undefined) operation.force = raw.force as boolean;
  return operation;
}

/** One 400 naming every problem given (null when there is none). */
function operationProblemsError(problems: FieldProblem[]): ApiError | null {
  if (problems.length === 0) return null;
  const first = problems[0] as FieldProblem;
  const detail = problems.length === 1 ? `${first.field}: ${first.message}.` : `${problems.length} problems in the operations, the first: ${first.field}: ${first.message}.`;
  return new ApiError(400, 'invalid_operation', detail, { errors: problems });
}

/** One 400 naming every malformed operation; nothing when all are well formed. */
export function throwOperationProblems(problems: FieldProblem[]): void {
  const error = operationProblemsError(problems);
  if (error) throw error;
}

/** `{"atomic", "operations"}` → the operations, checked for shape and count. */
export function parseBatchBody(body: unknown, maxSize: number): BatchInput {
  if (!isPlainObject(body)) throw errors.badRequest('invalid_body', 'The body must be a JSON object: {"atomic": false, "operations": [...]}.');
  const unknown = Object.keys(body).filter((key) => key !== 'atomic' && key !== 'operations');
  if (unknown.length) throw errors.badRequest('invalid_body', `Unknown keys in the body: ${unknown.join(', ')}.`);
  if (body.atomic !== undefined && typeof body.atomic !== 'boolean') {
    throw errors.badRequest('invalid_body', '"atomic" must be a boolean.', { errors: [{ field: 'atomic', message: 'must be a boolean' }] });
  }
  const raw = body.operations;
  if (!Array.isArray(raw) || raw.length === 0) {
    throw errors.badRequest('invalid_body', '"operations" must be a non-empty list.', { errors: [{ field: 'operations', message: 'must be a non-empty list' }] });
  }
  if (raw.length > maxSize) throw batchTooLarge(raw.length, maxSize);
  refuseDuplicateRefs(raw);
  const atomic = body.atomic === true;
  const operations: BatchOperation[] = [];
  const refused: BatchRefusal[] = [];
  raw.forEach((item, index) => {
    const own: FieldProblem[] = [];
    const operation = parseOperation(item, index, own);
    const error = operationProblemsError(own);
    if (operation && !error) operations.push(operation);
    else refused.push({ index, ref: isPlainObject(item) ? parseRef(item.ref, `operations[${index}]`, []) : null, error: error as ApiError });
  });
  if (atomic) {
    throwOperationProblems(refused.flatMap((refusal) => refusal.error.errors));
    return { atomic, operations, refused: [] };
  }
  return { atomic, operations, refused };
}

/**
 * Each answer entry is matched to its operation by `ref`, so a ref given
 * twice makes the answer ambiguous: the whole request is refused. `1` and
 * `"1"` count as the same ref, as clients often compare them as text.
 */
function refuseDuplicateRefs(raw: readonly unknown[]): void {
  const seen = new Map<string, number>();
  const problems: FieldProblem[] = [];
  const duplicated = new Set<string>();
  raw.forEach((item, index) => {
    const ref = isPlainObject(item) ? item.ref : undefined;
    if (typeof ref !== 'string' && typeof ref !== 'number') return;
    const first = seen.get(String(ref));
    if (first === undefined) {
      seen.set(String(ref), index);
      return;
    }
    duplicated.add(JSON.stringify(ref));
    problems.push({ field: `operations[${index}].ref`, message: `${JSON.stringify(ref)} is already the ref of operations[${first}]`, code: 'duplicate_ref' });
  });
  if (problems.length === 0) return;
  throw new ApiError(400, 'duplicate_ref', `Each operation's ref must be unique; given more than once: ${[...duplicated].join(', ')}.`, { errors: problems });
}

export function batchTooLarge(count: number, maxSize: number): ApiError {
  return new ApiError(413, 'batch_too_large', `${count} operations: this model takes at most ${maxSize} per request.`, {
    errors: [{ field: 'operations', message: `at most ${maxSize} operations` }],
  });
}
