/** Small hand-made model contexts for the pure stages (policy/, query/, values/). */
import type { FieldMeta, ModelContext, ModelContextResolver, ModelGrant, Operation } from '../../src/policy/types.js';
import { errors } from '../../src/errors.js';

export function field(name: string, type: string, extra: Partial<FieldMeta> = {}): FieldMeta {
  return {
    name,
    type,
    string: name,
    relation: null,
    store: true,
    sortable: true,
    searchable: true,
    readonly: false,
    required: false,
    selection: null,
    help: null,
    ...extra,
  };
}

export function grant(model: string, extra: Partial<ModelGrant> = {}): ModelGrant {
  return {
    model,
    name: model,
    operations: { read: true, create: true, update: true, delete: true, archive: true, restore: true },
    domains: [],
    fields: { allowed: null, blocked: new Set() },
    defaultPageSize: 20,
    maxPageSize: 200,
    ...extra,
  };
}

export const partnerFields = new Map(
  [
    field('id', 'integer'),
    field('name', 'char'),
    field('email', 'char'),
    field('active', 'boolean'),
    field('secret_note', 'text'),
    field('country_id', 'many2one', { relation: 'res.country' }),
    field('category_id', 'many2many', { relation: 'res.partner.category' }),
    field('child_ids', 'one2many', { relation: 'res.partner' }),
    field('image_128', 'binary'),
    field('create_date', 'datetime'),
    field('date', 'date'),
    field('display_name', 'char', { store: false, sortable: false, searchable: true }),
    field('computed_unsearchable', 'char', { store: false, sortable: false, searchable: false }),
  ].map((f) => [f.name, f]),
);

export const countryFields = new Map(
  [field('id', 'integer'), field('name', 'char'), field('code', 'char'), field('phone_code', 'integer')].map((f) => [f.name, f]),
);

export function partnerContext(extra: Partial<ModelGrant> = {}): ModelContext {
  return {
    grant: grant('res.partner', { fields: { allowed: null, blocked: new Set(['secret_note']) }, ...extra }),
    fields: partnerFields,
  };
}

export function resolverOf(contexts: Record<string, ModelContext>): ModelContextResolver {
  return async (model: string, operation: Operation) => {
    const context = contexts[model];
    if (!context) throw errors.notFound('model_not_found', `No model named "${model}" is available.`);
    if (!context.grant.operations[operation]) throw errors.forbidden('operation_not_allowed', 'no');
    return context;
  };
}
