/**
 * Structured filters, `filter[field][op]=value` (AND-ed), turned into domain
 * terms that then go through the same checks as a JSON domain.
 */
import { errors } from '../errors.js';
import type { Domain, ModelContext } from '../policy/types.js';
import type { RawQuery } from './params.js';

const OPERATORS: Record<string, string> = {
  eq: '=', ne: '!=', gt: '>', gte: '>=', lt: '<', lte: '<=',
  in: 'in', nin: 'not in',
  like: 'like', ilike: 'ilike', nlike: 'not like', nilike: 'not ilike',
  child_of: 'child_of', parent_of: 'parent_of',
  null: 'null',
};
const LIST_OPS = new Set(['in', 'not in', 'child_of', 'parent_of']);
const NUMERIC = new Set(['integer', 'float', 'monetary', 'many2one', 'one2many', 'many2many']);
const KEY = /^filter\[([^\]]*)\](?:\[([^\]]*)\])?$/;

function bad(key: string, message: string): never {
  throw errors.badRequest('invalid_filter', `${key}: ${message}`, { errors: [{ field: key, message }] });
}

/** The type of the last field of a path, when the path stays on the root model (else left to the checks). */
function fieldType(context: ModelContext, path: string): string | undefined {
  return path.includes('.') ? undefined : context.fields.get(path)?.type;
}

function convert(key: string, raw: string, type: string | undefined): string | number | boolean {
  if (type && (NUMERIC.has(type) || type === 'id')) {
    if (!/^-?\d+(\.\d+)?$/.test(raw)) bad(key, `"${raw}" is not a number`);
    return Number(raw);
  }
  if (type === 'boolean') {
    if (raw !== 'true' && raw !== 'false') bad(key, 'expected true or false');
    return raw === 'true';
  }
  return raw;
}

export function parseStructuredFilters(query: RawQuery, context: ModelContext): Domain {
  const domain: Domain = [];
  for (const [key, value] of Object.entries(query)) {
    if (!key.startsWith('filter[')) continue;
    const match = KEY.exec(key);
    if (!match) bad(key, 'expected filter[field][operator]=value');
    const path = match[1] as string;
    const opName = match[2] ?? 'eq';
    const operator = OPERATORS[opName];
    if (!path) bad(key, 'names no field');
    if (!operator) bad(key, `unknown operator "${opName}"; use one of ${Object.keys(OPERATORS).join(', ')}`);
    if (Array.isArray(value) || value === undefined) bad(key, 'given more than once');
    const type = path === 'id' ? 'integer' : fieldType(context, path);
    if (operator === 'null') {
      if (value !== 'true' && value !== 'false') bad(key, 'expected true or false');
      domain.push([path, value === 'true' ? '=' : '!=', false]);
    } else if (LIST_OPS.has(operator)) {
      const items = value === '' ? [] : value.split(',');
      domain.push([path, operator, items.map((item) => convert(key, item.trim(), operator.endsWith('_of') ? 'integer' : type))]);
    } else {
      domain.push([path, operator, operator.includes('like') ? value : convert(key, value, type)]);
    }
  }
  return domain;
}
