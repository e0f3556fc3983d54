/** `fields=name,email` → the fields to read, each checked; without it, the default set. */
import { errors } from '../errors.js';
import { checkOwnField } from '../policy/field-check.js';
import { isFieldAllowed } from '../policy/authorize.js';
import type { ModelContext } from '../policy/types.js';
import { singleParam, type RawQuery } from './params.js';

const MAX_FIELDS = 500;
/**
 * Left out of the default set: binaries (large) and x2many lists (unbounded:
 * a tag's partner_ids lists every tagged partner). Asked for by name or
 * expanded when wanted (docs/decisions.md D3).
 */
const NOT_BY_DEFAULT = new Set(['binary', 'one2many', 'many2many']);

export function defaultFields(context: ModelContext): string[] {
  return [...context.fields.values()]
    .filter((f) => f.store && !NOT_BY_DEFAULT.has(f.type) && isFieldAllowed(context.grant.fields, f.name))
    .map((f) => f.name);
}

/** A comma-separated field list (`param` names it in errors), each field checked. */
export function parseFieldList(raw: string, context: ModelContext, param: string): string[] {
  const names = raw.split(',').map((n) => n.trim());
  if (names.length > MAX_FIELDS || names.some((n) => !/^[a-z_][a-z0-9_]*$/i.test(n))) {
    throw errors.badRequest('invalid_parameter', `"${param}" must be a comma-separated list of field names.`, {
      errors: [{ field: param, message: 'malformed field list' }],
    });
  }
  const unique = [...new Set(names)];
  for (const name of unique) checkOwnField(context, name, 'read', param);
  return unique;
}

export function parseFields(query: RawQuery, context: ModelContext): string[] {
  const raw = singleParam(query, 'fields');
  return raw === undefined ? defaultFields(context) : parseFieldList(raw, context, 'fields');
}
