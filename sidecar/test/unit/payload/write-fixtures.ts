/** Model contexts with every writable field type, for the write-payload unit tests. */
import type { ModelContext, ModelGrant } from '../../../src/policy/types.js';
import { field, grant } from '../fixtures.js';

const byName = (fields: ReturnType<typeof field>[]) => new Map(fields.map((f) => [f.name, f]));

export const writablePartnerFields = byName([
  field('id', 'integer', { readonly: true }),
  field('name', 'char'),
  field('comment', 'html'),
  field('color', 'integer'),
  field('partner_latitude', 'float'),
  field('credit_limit', 'monetary'),
  field('is_company', 'boolean'),
  field('active', 'boolean'),
  field('birthday', 'date'),
  field('last_seen', 'datetime'),
  field('type', 'selection', { selection: [['contact', 'Contact'], ['invoice', 'Invoice']] }),
  field('country_id', 'many2one', { relation: 'res.country' }),
  field('category_id', 'many2many', { relation: 'res.partner.category' }),
  field('child_ids', 'one2many', { relation: 'res.partner' }),
  field('image_1920', 'binary'),
  field('secret_note', 'text'),
  field('commercial_partner_id', 'many2one', { relation: 'res.partner', readonly: true }),
  field('create_date', 'datetime', { readonly: true }),
  field('display_name', 'char', { readonly: true, store: false }),
  field('properties', 'properties'),
  field('ref', 'char', { required: true }),
]);

export const categoryFields = byName([
  field('id', 'integer', { readonly: true }),
  field('name', 'char', { required: true }),
  field('color', 'integer'),
  field('parent_id', 'many2one', { relation: 'res.partner.category' }),
  field('child_ids', 'one2many', { relation: 'res.partner.category' }),
]);

export function writablePartner(extra: Partial<ModelGrant> = {}): ModelContext {
  return { grant: grant('res.partner', { fields: { allowed: null, blocked: new Set(['secret_note']) }, ...extra }), fields: writablePartnerFields };
}

export function category(extra: Partial<ModelGrant> = {}): ModelContext {
  return { grant: grant('res.partner.category', extra), fields: categoryFields };
}
