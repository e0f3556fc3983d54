/**
 * The ids of a bulk read: `?ids=3,1,2` or a body `{"ids": [3,1,2]}` (or a
 * bare list). Order and repeats are kept (the answer is position for
 * position); at most the model's maximum page size.
 */
import { errors } from '../errors.js';
import type { ModelGrant } from '../policy/types.js';

function checkCount(ids: number[], grant: Pick<ModelGrant, 'maxPageSize' | 'model'>, from: 'query' | 'body'): number[] {
  const field = 'ids';
  if (ids.length === 0) {
    throw errors.badRequest(from === 'query' ? 'invalid_parameter' : 'invalid_body', 'Give at least one id.', { errors: [{ field, message: 'no ids' }] });
  }
  if (ids.length > grant.maxPageSize) {
    throw errors.badRequest('too_many_ids', `At most ${grant.maxPageSize} ids can be read at once from ${grant.model}.`, {
      errors: [{ field, message: `at most ${grant.maxPageSize} ids` }],
    });
  }
  return ids;
}

export function parseIdsParam(raw: string | undefined, grant: Pick<ModelGrant, 'maxPageSize' | 'model'>): number[] {
  if (raw === undefined || raw.trim() === '') {
    throw errors.badRequest('invalid_parameter', 'Give the ids to read: ?ids=3,1,2.', { errors: [{ field: 'ids', message: 'required' }] });
  }
  const parts = raw.split(',');
  // count first: no need to parse ten thousand ids to refuse them
  if (parts.length > grant.maxPageSize) return checkCount(parts.map(() => 0), grant, 'query');
  const ids = parts.map((part) => part.trim());
  const bad = ids.find((id) => !/^[1-9]\d{0,9}$/.test(id) || Number(id) > 2_147_483_647);
  if (bad !== undefined) {
    throw errors.badRequest('invalid_parameter', `"${bad.slice(0, 20)}" in ids is not a record id.`, { errors: [{ field: 'ids', message: 'expected positive integers' }] });
  }
  return checkCount(ids.map(Number), grant, 'query');
}

export function parseIdsBody(body: unknown, grant: Pick<ModelGrant, 'maxPageSize' | 'model'>): number[] {
  const isObject = typeof body === 'object' && body !== null && !Array.isArray(body);
  const list: unknown = Array.isArray(body) ? body : isObject ? (body as Record<string, unknown>).ids : undefined;
  const extra = isObject ? Object.keys(body as object).filter((key) => key !== 'ids') : [];
  if (!Array.isArray(list) || extra.length > 0) {
    throw errors.badRequest('invalid_body', 'The body must be {"ids": [3, 1, 2]} or a list of ids.', {
      errors: [{ field: extra.length ? (extra[0] as string) : 'ids', message: extra.length ? 'unknown key' : 'expected a list of ids' }],
    });
  }
  if (list.length > grant.maxPageSize) return checkCount(list as number[], grant, 'body');
  const bad = list.findIndex((id) => typeof id !== 'number' || !Number.isInteger(id) || id < 1 || id > 2_147_483_647);
  if (bad >= 0) {
    throw errors.badRequest('invalid_body', `ids[${bad}] is not a record id (a positive integer).`, { errors: [{ field: `ids[${bad}]`, message: 'expected a positive integer' }] });
  }
  return checkCount(list as number[], grant, 'body');
}
