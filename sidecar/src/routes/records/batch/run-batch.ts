/**
 * Runs compiled batch steps in ONE bridge call: atomic (one transaction,
 * the first failure answers for the batch and nothing is kept) or partial
 * (each step in its own savepoint, its operations grouped so a write and
 * its related-record checks fail together), and maps every result back to
 * its step. Atomic calls holding upserts are retried on a concurrency
 * failure, which is how concurrent upserts of one key wait for each other.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { ApiError } from '../../../errors.js';
import { runOperations } from '../../../http/request-services.js';
import type { ApiContext, Services } from '../../../http/types.js';
import { BRIDGE_ERROR_KINDS, BridgeError, type BridgeErrorKind } from '../../../odoo/bridge-types.js';
import { toApiError } from '../../../odoo/errors.js';
import { relatedCheckError, type WriteOperation } from '../../../query/compile-write.js';
import { operationError, type BatchStep } from './compile-batch.js';
import { chunkSteps, splitResults } from './merge-creates.js';

export type StepOutcome = { step: BatchStep; ok: true; results: unknown[] } | { step: BatchStep; ok: false; error: ApiError };

/** Attempts of an atomic call that lost an upsert race (each waits for the winner, then sees it). */
export const CONCURRENCY_ATTEMPTS = 10;

function stepError(step: BatchStep, error: BridgeError, offset: number): ApiError {
  const local = error.operation === null ? null : error.operation - offset;
  return relatedCheckError(step.plan, local, error.kind) ?? toApiError(error);
}

function flatten(steps: BatchStep[], grouped: boolean): { operations: WriteOperation[]; offsets: number[] } {
  const operations: WriteOperation[] = [];
  const offsets: number[] = [];
  steps.forEach((step, index) => {
    offsets.push(operations.length);
    for (const operation of step.plan.operations) operations.push(grouped ? { ...operation, group: index } : operation);
  });
  return { operations, offsets };
}

/** Retries `run` after a concurrency failure, with a growing random pause (the other upserts commit meanwhile). */
export async function retryOnConcurrency<T>(run: () => Promise<T>, attempts = CONCURRENCY_ATTEMPTS): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await run();
    } catch (error) {
      if (!(error instanceof BridgeError) || error.kind !== 'concurrency' || attempt >= attempts) throw error;
      await sleep(Math.random() * Math.min(400, 10 * 2 ** attempt));
    }
  }
}

/**
 * One transaction. Like creates run merged (merge-creates.ts); when a
 * merged operation fails, nothing was kept and the batch runs again
 * unmerged, which names the failing operation.
 */
async function runAtomic(ctx: ApiContext, services: Services, steps: BatchStep[], merge = true): Promise<StepOutcome[]> {
  const chunks = merge ? chunkSteps(steps) : steps.map((step) => ({ steps: [step], operations: step.plan.operations, merged: false }));
  const operations = chunks.flatMap((chunk) => chunk.operations);
  const call = () => runOperations(ctx, services, operations, { readonly: false, atomic: true });
  let results: unknown[];
  try {
    results = steps.some((s) => s.kind === 'upsert') ? await retryOnConcurrency(call) : await call();
  } catch (error) {
    if (!(error instanceof BridgeError) || error.operation === null) throw error;
    if (chunks.some((chunk) => chunk.merged)) return runAtomic(ctx, services, steps, false);
    const { offsets } = flatten(steps, false);
    const failed = error.operation;
    const at = offsets.reduce((found, offset, i) => (offset <= failed ? i : found), 0);
    const step = steps[at] as BatchStep;
    throw operationError(stepError(step, error, offsets[at] as number), step.operation.index, step.operation.ref);
  }
  const perStep = splitResults(chunks, results);
  return steps.map((step, i) => ({ step, ok: true, results: perStep[i] ?? [] }));
}

function isKind(value: unknown): value is BridgeErrorKind {
  return typeof value === 'string' && (BRIDGE_ERROR_KINDS as readonly string[]).includes(value);
}

/** `{"result"}` or `{"error": {"kind", "message", "operation"}}` of a non-atomic call. */
function itemError(item: unknown): BridgeError | null {
  const error = (item as { error?: { kind?: unknown; message?: unknown; operation?: unknown } } | null)?.error;
  if (!error) return null;
  const message = typeof error.message === 'string' ? error.message : 'Odoo refused the operation.';
  return new BridgeError(isKind(error.kind) ? error.kind : 'internal', message, typeof error.operation === 'number' ? error.operation : null);
}

async function runPartial(ctx: ApiContext, services: Services, steps: BatchStep[]): Promise<StepOutcome[]> {
  const { operations, offsets } = flatten(steps, true);
  const items = await runOperations(ctx, services, operations, { readonly: false, atomic: false });
  return steps.map((step, i): StepOutcome => {
    const own = items.slice(offsets[i], offsets[i] as number + step.plan.operations.length);
    const failed = own.map(itemError).find((error) => error !== null);
    if (failed) return { step, ok: false, error: stepError(step, failed, offsets[i] as number) };
    return { step, ok: true, results: own.map((item) => (item as { result?: unknown }).result) };
  });
}

export function runBatch(ctx: ApiContext, services: Services, steps: BatchStep[], atomic: boolean): Promise<StepOutcome[]> {
  return atomic ? runAtomic(ctx, services, steps) : runPartial(ctx, services, steps);
}
