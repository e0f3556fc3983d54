/**
 * Checks a field path (`country_id.code`) segment by segment: every field
 * must exist for the acting user and be allowed by the scope of the model
 * it belongs to, and every model crossed must be readable by the caller.
 */
import { errors } from '../errors.js';
import { isFieldAllowed } from './authorize.js';
import type { FieldMeta, ModelContext, ModelContextResolver } from './types.js';

export type FieldUse = 'read' | 'filter' | 'sort';

const MAX_PATH_SEGMENTS = 5;

export function checkOwnField(context: ModelContext, name: string, use: FieldUse, param: string): FieldMeta {
  const meta = context.fields.get(name);
  if (!meta) {
    throw errors.badRequest('unknown_field', `Unknown field "${name}" on ${context.grant.model}.`, {
      errors: [{ field: param, message: `unknown field "${name}"` }],
    });
  }
  if (!isFieldAllowed(context.grant.fields, name)) {
    throw errors.forbidden('field_not_allowed', `The field "${name}" of ${context.grant.model} is not available to this credential.`, {
      errors: [{ field: param, message: `field "${name}" is not allowed` }],
    });
  }
  if (use === 'sort' && !meta.sortable) {
    throw errors.badRequest('invalid_parameter', `The field "${name}" of ${context.grant.model} cannot be sorted on.`, {
      errors: [{ field: param, message: `field "${name}" is not sortable` }],
    });
  }
  if (use === 'sort' && meta.type === 'many2one' && meta.relation && !relatedReadable(context, meta.relation)) {
    // Odoo orders a many2one by the related model's own order (its names, mostly)
    throw errors.forbidden('field_not_allowed', `Sorting on "${name}" orders by ${meta.relation} records, which this credential may not read.`, {
      errors: [{ field: param, message: `${meta.relation} is not readable` }],
    });
  }
  if (use === 'filter' && !meta.searchable && !meta.store) {
    throw errors.badRequest('invalid_filter', `The field "${name}" of ${context.grant.model} cannot be filtered on.`, {
      errors: [{ field: param, message: `field "${name}" is not searchable` }],
    });
  }
  return meta;
}

/** Whether the credential may read `model` (unknown grants, as in tests of a model alone: yes). */
function relatedReadable(context: ModelContext, model: string): boolean {
  if (!context.grants) return true;
  return context.grants.get(model)?.operations.read === true;
}

/** One segment of a checked path: the field, and the model (as the caller may use it) it belongs to. */
export interface PathStep {
  name: string;
  meta: FieldMeta;
  context: ModelContext;
}

/**
 * Checks a path segment by segment and returns every segment, each with the
 * model it belongs to, so that a caller can apply each crossed model's scope
 * (query/domain.ts nests a dotted filter into `any` terms).
 */
export async function checkFieldPath(
  root: ModelContext,
  path: string,
  use: FieldUse,
  param: string,
  resolve: ModelContextResolver,
): Promise<PathStep[]> {
  const segments = path.split('.');
  if (segments.length > MAX_PATH_SEGMENTS || segments.some((s) => !/^[a-z_][a-z0-9_]*$/i.test(s))) {
    throw errors.badRequest(use === 'filter' ? 'invalid_filter' : 'invalid_parameter', `"${path}" is not a valid field path.`, {
      errors: [{ field: param, message: 'invalid field path' }],
    });
  }
  let context = root;
  const steps: PathStep[] = [];
  for (let i = 0; ; i += 1) {
    const segment = segments[i] as string;
    const meta = checkOwnField(context, segment, i === segments.length - 1 ? use : 'filter', param);
    steps.push({ name: segment, meta, context });
    if (i === segments.length - 1) return steps;
    if (!meta.relation) {
      throw errors.badRequest(use === 'filter' ? 'invalid_filter' : 'invalid_parameter', `"${segment}" in "${path}" is not a relational field.`, {
        errors: [{ field: param, message: `"${segment}" is not relational` }],
      });
    }
    context = await readableRelated(meta.relation, resolve, param, `The path "${path}" crosses ${meta.relation}, which this credential may not read.`);
  }
}

/**
 * The related model a path, `any`, name search or expansion crosses, as the
 * caller may read it; 403 `field_not_allowed` with `detail` otherwise.
 */
export async function readableRelated(relation: string, resolve: ModelContextResolver, param: string, detail: string): Promise<ModelContext> {
  try {
    return await resolve(relation, 'read');
  } catch (error) {
    throw errors.forbidden('field_not_allowed', detail, { errors: [{ field: param, message: `${relation} is not readable` }], cause: error });
  }
}
