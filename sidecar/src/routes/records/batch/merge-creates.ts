/**
 * Atomic batches: consecutive plain creates (no related-record checks, same
 * guard and read-back) become ONE `create(vals_list)` bridge operation, so
 * Odoo inserts and computes them together (several times faster than one
 * create per operation). Only where nothing else differs: the guard and the
 * read-back are those each create would have had.
 */
import type { WriteOperation } from '../../../query/compile-write.js';
import type { BatchStep } from './compile-batch.js';

export interface Chunk {
  steps: BatchStep[];
  operations: WriteOperation[];
  /** Several creates as one operation. */
  merged: boolean;
}

function mergeable(step: BatchStep): boolean {
  return step.kind === 'create' && step.plan.operations.length === 1;
}

function sameShape(a: WriteOperation, b: WriteOperation): boolean {
  return JSON.stringify([a.guard, a.read]) === JSON.stringify([b.guard, b.read]);
}

function mergedChunk(steps: BatchStep[]): Chunk {
  const first = steps[0]?.plan.operations[0] as WriteOperation;
  const valsList = steps.map((step) => (step.plan.operations[0]?.args ?? [])[0]);
  return { steps, operations: [{ ...first, args: [valsList] }], merged: true };
}

/** The steps cut into chunks, merging each run of two or more like creates. */
export function chunkSteps(steps: BatchStep[]): Chunk[] {
  const chunks: Chunk[] = [];
  let run: BatchStep[] = [];
  const flush = () => {
    if (run.length > 1) chunks.push(mergedChunk(run));
    else if (run.length === 1) chunks.push({ steps: run, operations: (run[0] as BatchStep).plan.operations, merged: false });
    run = [];
  };
  for (const step of steps) {
    const head = run[0]?.plan.operations[0];
    if (mergeable(step) && (!head || sameShape(head, step.plan.operations[0] as WriteOperation))) {
      run.push(step);
      continue;
    }
    flush();
    if (mergeable(step)) run.push(step);
    else chunks.push({ steps: [step], operations: step.plan.operations, merged: false });
  }
  flush();
  return chunks;
}

/** Each step's results, as its own plan would have answered them. */
export function splitResults(chunks: Chunk[], results: unknown[]): unknown[][] {
  const perStep: unknown[][] = [];
  let offset = 0;
  for (const chunk of chunks) {
    const own = results.slice(offset, offset + chunk.operations.length);
    offset += chunk.operations.length;
    if (!chunk.merged) {
      perStep.push(own);
      continue;
    }
    // create returns the records in the order of vals_list; read keeps that order
    const rows = Array.isArray(own[0]) ? own[0] : [];
    chunk.steps.forEach((_, i) => perStep.push([[rows[i]]]));
  }
  return perStep;
}
