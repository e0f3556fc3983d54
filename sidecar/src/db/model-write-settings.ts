/**
 * The per-model batch limit the admin sets on rest.gateway.model
 * (`max_batch_size`), read on each batch or list upsert: one indexed row,
 * so a changed limit applies at once without a configuration reload.
 */
import type { Db } from './knex.js';

export const DEFAULT_MAX_BATCH_SIZE = 100;

export async function readMaxBatchSize(db: Db, model: string): Promise<number> {
  const row = await db('rest_gateway_model').where({ model, active: true }).first<{ max_batch_size: number | null } | undefined>('max_batch_size');
  const size = Number(row?.max_batch_size);
  return Number.isInteger(size) && size > 0 ? size : DEFAULT_MAX_BATCH_SIZE;
}
