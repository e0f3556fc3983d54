/** limit, page / page_number, offset / skip → limit and offset, within the admin's page size. */
import { errors } from '../errors.js';
import type { ModelGrant } from '../policy/types.js';
import { aliasedParam, parseNonNegativeInt, singleParam, type RawQuery } from './params.js';

export interface Page {
  limit: number;
  offset: number;
  page: number;
}

export function parsePagination(query: RawQuery, grant: Pick<ModelGrant, 'defaultPageSize' | 'maxPageSize' | 'model'>): Page {
  const rawLimit = singleParam(query, 'limit');
  const limit = rawLimit === undefined ? grant.defaultPageSize : parseNonNegativeInt('limit', rawLimit, 1);
  if (limit > grant.maxPageSize) {
    throw errors.badRequest('page_size_exceeded', `limit may be at most ${grant.maxPageSize} for ${grant.model}.`, {
      errors: [{ field: 'limit', message: `at most ${grant.maxPageSize}` }],
    });
  }
  const page = aliasedParam(query, ['page', 'page_number']);
  const offset = aliasedParam(query, ['offset', 'skip']);
  if (page && offset) {
    throw errors.badRequest('invalid_parameter', `Give either "${page.name}" or "${offset.name}", not both.`, {
      errors: [{ field: page.name, message: `conflicts with ${offset.name}` }],
    });
  }
  if (page) {
    const number = parseNonNegativeInt(page.name, page.value, 1);
    const start = (number - 1) * limit;
    if (start > 2_147_483_647) {
      throw errors.badRequest('invalid_parameter', `${page.name} is too large.`, { errors: [{ field: page.name, message: 'too large' }] });
    }
    return { limit, offset: start, page: number };
  }
  const start = offset ? parseNonNegativeInt(offset.name, offset.value, 0) : 0;
  return { limit, offset: start, page: Math.floor(start / limit) + 1 };
}
