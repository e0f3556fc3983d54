/**
 * The answer of each batch step, as the same single request would give it:
 * `{"ref", "status", "data"}` (upserts add `meta.created`) or
 * `{"ref", "status", "error": problem}`.
 */
import { problemBody } from '../../../errors.js';
import { upsertOutcome, writtenIds, writtenRows } from '../../../query/compile-write.js';
import { flatShape, toApiRecord, type ValueOptions } from '../../../values/record-values.js';
import type { BatchRefusal } from './parse-batch.js';
import type { StepOutcome } from './run-batch.js';

export interface StepAnswer {
  ref: string | number | null;
  status: number;
  data?: Record<string, unknown> | null;
  meta?: { created: boolean };
  error?: Record<string, unknown>;
}

const STATUS = { create: 201, write: 200, archive: 200, restore: 200, unlink: 204 } as const;

export function stepAnswer(outcome: StepOutcome, values: ValueOptions, requestId: string, instance: string): StepAnswer {
  const { step } = outcome;
  const ref = step.operation.ref;
  if (!outcome.ok) return { ref, status: outcome.error.status, error: problemBody(outcome.error, requestId, instance) };
  const shape = flatShape(step.context.fields);
  if (step.kind === 'upsert') {
    const result = upsertOutcome(step.plan, outcome.results);
    const data = result.row ? toApiRecord(result.row, shape, values) : { id: result.id };
    return { ref, status: result.created ? 201 : 200, data, meta: { created: result.created } };
  }
  if (step.kind === 'unlink') return { ref, status: 204, data: null };
  const row = writtenRows(step.plan, outcome.results)[0];
  const id = writtenIds(step.plan, outcome.results)[0] ?? step.operation.id ?? 0;
  return { ref, status: STATUS[step.kind as keyof typeof STATUS], data: row ? toApiRecord(row, shape, values) : { id } };
}

/** The answer of an operation refused before the batch ran (partial batches). */
export function refusalAnswer(refusal: BatchRefusal, requestId: string, instance: string): StepAnswer {
  return { ref: refusal.ref, status: refusal.error.status, error: problemBody(refusal.error, requestId, instance) };
}
