/** `sort=name,-create_date` or `order=name desc, id` → an Odoo order clause over allowed, sortable fields. */
import { errors } from '../errors.js';
import { checkOwnField } from '../policy/field-check.js';
import type { ModelContext } from '../policy/types.js';
import { aliasedParam, type RawQuery } from './params.js';

const MAX_SORT_KEYS = 10;

function parseSortKeys(syntax: 'sort' | 'order', value: string, name: string): Array<{ field: string; desc: boolean }> {
  const parts = value.split(',').map((p) => p.trim());
  if (parts.length > MAX_SORT_KEYS || parts.some((p) => p === '')) {
    throw errors.badRequest('invalid_parameter', `"${name}" must be a comma-separated list of at most ${MAX_SORT_KEYS} fields.`, {
      errors: [{ field: name, message: 'malformed sort' }],
    });
  }
  return parts.map((part) => {
    const match = syntax === 'sort' ? /^([+-]?)([a-z_][a-z0-9_]*)$/i.exec(part) : /^([a-z_][a-z0-9_]*)(?:\s+(asc|desc))?$/i.exec(part);
    if (!match) {
      throw errors.badRequest('invalid_parameter', `"${part}" is not a valid sort key.`, {
        errors: [{ field: name, message: `invalid sort key "${part}"` }],
      });
    }
    return syntax === 'sort'
      ? { field: match[2] as string, desc: match[1] === '-' }
      : { field: match[1] as string, desc: (match[2] ?? '').toLowerCase() === 'desc' };
  });
}

/** One sort value in `sort` (`name,-id`) or `order` (`name desc, id`) syntax → an Odoo order. */
export function parseSortValue(param: string, syntax: 'sort' | 'order', value: string, context: ModelContext): string {
  return parseSortKeys(syntax, value, param)
    .map(({ field, desc }) => {
      checkOwnField(context, field, 'sort', param);
      return `${field} ${desc ? 'desc' : 'asc'}`;
    })
    .join(', ');
}

/** Returns the Odoo order string, or null for the model's default order. */
export function parseSort(query: RawQuery, context: ModelContext): string | null {
  const param = aliasedParam(query, ['sort', 'order']);
  if (!param) return null;
  return parseSortValue(param.name, param.name === 'sort' ? 'sort' : 'order', param.value, context);
}
